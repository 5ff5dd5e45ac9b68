import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");

/** `bun src/main.ts` (the dev pipeline) in a child process on a free port and a temporary SQLite file. */
export interface DevProcess {
  url: string;
  /** The child's log lines so far (JSON), for failure messages. */
  log: string[];
  stop(): Promise<void>;
}

/**
 * Starts the pipeline with `env` on top of the defaults (simulator source, port 0, JSON logs) and waits
 * for its "tickflow running" line. `stop` sends SIGTERM, then SIGKILL if it has not exited in 10 s.
 */
export const startDevProcess = async (
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<DevProcess> => {
  const dir = mkdtempSync(join(tmpdir(), "tickflow-dev-"));
  const child = Bun.spawn([process.execPath, "src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      SOURCE: "simulator",
      API_TOKEN: "",
      HOST: "127.0.0.1",
      PORT: "0",
      SQLITE_PATH: join(dir, "tickflow.db"),
      LOG_FORMAT: "json",
      STATS_INTERVAL_MS: "0",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const log: string[] = [];
  const running = Promise.withResolvers<string>();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        log.push(line);
        const port = /tickflow running .* on http:\/\/localhost:(\d+)/.exec(line)?.[1];
        if (port) running.resolve(`http://127.0.0.1:${port}`);
      }
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  void child.exited.then((code) =>
    running.reject(new Error(`the pipeline exited (${code}):\n${log.join("\n")}`)),
  );
  const timer = setTimeout(
    () => running.reject(new Error(`no "tickflow running" line:\n${log.join("\n")}`)),
    timeoutMs,
  );
  const stop = async () => {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await child.exited;
    clearTimeout(killer);
    await drained;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await running.promise;
    return { url, log, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
};
