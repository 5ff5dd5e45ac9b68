import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");

/** Calls `onLine` with each complete line of a child's output as it arrives; resolves at its end. */
export const forEachLine = async (stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) => {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
};

/** The ready line of the pipeline (`tickflow running ... on http://localhost:PORT`) and its HTTP URL. */
export const pipelineReady = {
  ready: /tickflow running .* on http:\/\/localhost:(\d+)/,
  toUrl: (port: string) => `http://127.0.0.1:${port}`,
};

/** A `bun src/main.ts ...` child process that said it is ready. */
export interface TickflowProcess {
  /** What the ready line captured: the pipeline's HTTP URL, the simulator's WebSocket URL. */
  url: string;
  pid: number;
  /** The child's log lines so far (JSON), for failure messages. */
  log: string[];
  /** Settles with the exit code once the process ended by itself (a replay that finished) or was stopped. */
  exited: Promise<number>;
  /** SIGTERM, then SIGKILL if it has not exited in 10 s; resolves with the exit code. */
  stop(): Promise<number>;
}

export interface TickflowProcessOptions {
  /** Command and flags after `src/main.ts` (none: the pipeline). */
  args?: string[];
  env: Record<string, string>;
  /** The line that says the process is ready; its first group becomes `url`. */
  ready: RegExp;
  /** Wraps the captured group, e.g. into an http URL. */
  toUrl?: (captured: string) => string;
  timeoutMs?: number;
  /** Extra flags for bun itself, before the script (e.g. `--cpu-prof`). */
  bunFlags?: string[];
  /** Runs after the child exited (clean-up of its files). */
  onExit?: () => void;
}

/** Starts `bun src/main.ts` with `options.env` on top of this process's environment; waits for the ready line. */
export const startTickflowProcess = async (options: TickflowProcessOptions): Promise<TickflowProcess> => {
  const child = Bun.spawn(
    [process.execPath, ...(options.bunFlags ?? []), "src/main.ts", ...(options.args ?? [])],
    {
      cwd: root,
      env: { ...process.env, LOG_FORMAT: "json", STATS_INTERVAL_MS: "0", ...options.env },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const log: string[] = [];
  const running = Promise.withResolvers<string>();
  const drain = (stream: ReadableStream<Uint8Array>) =>
    forEachLine(stream, (line) => {
      log.push(line);
      const captured = options.ready.exec(line)?.[1];
      if (captured) running.resolve(options.toUrl?.(captured) ?? captured);
    });
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  void child.exited.then((code) =>
    running.reject(new Error(`the process exited (${code}):\n${log.join("\n")}`)),
  );
  const timer = setTimeout(
    () => running.reject(new Error(`no line matching ${options.ready}:\n${log.join("\n")}`)),
    options.timeoutMs ?? 30_000,
  );
  const stop = async () => {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await child.exited;
    clearTimeout(killer);
    await drained;
    options.onExit?.();
    return code;
  };
  try {
    const url = await running.promise;
    return { url, pid: child.pid, log, exited: child.exited, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

/** `bun src/main.ts` (the dev pipeline) in a child process on a free port and a temporary SQLite file. */
export type DevProcess = TickflowProcess;

/**
 * Starts the pipeline with `env` on top of the defaults (simulator source, port 0, JSON logs) and waits
 * for its "tickflow running" line.
 */
export const startDevProcess = async (
  env: Record<string, string>,
  timeoutMs = 30_000,
  bunFlags: string[] = [],
): Promise<DevProcess> => {
  const dir = mkdtempSync(join(tmpdir(), "tickflow-dev-"));
  return startTickflowProcess({
    env: {
      SOURCE: "simulator",
      API_TOKEN: "",
      HOST: "127.0.0.1",
      PORT: "0",
      SQLITE_PATH: join(dir, "tickflow.db"),
      ...env,
    },
    ...pipelineReady,
    timeoutMs,
    bunFlags,
    onExit: () => rmSync(dir, { recursive: true, force: true }),
  });
};
