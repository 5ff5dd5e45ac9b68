import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { tool } from "./tools.ts";

/** A Prometheus server of the Debian package running on loopback for one test. */
export interface PrometheusServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** The folder holding its configuration and data; rule files the config names may be written here. */
  dir: string;
  /** Runs an instant query and returns its vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** GET of an API path (`/api/v1/...`), returning its `data`. */
  api<T>(path: string): Promise<T>;
  /** The server's log so far, for failure messages. */
  log(): Promise<string>;
  /** Kills the server, waits for it to exit and deletes its folder. */
  stop(): Promise<void>;
}

export const freePort = () => {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
};

/** Polls `check` until it returns a value that is not undefined; fails with `what` after `timeoutMs`. */
export const waitFor = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await Bun.sleep(200);
  }
};

/**
 * Writes `config(dir)` as prometheus.yml into a fresh temporary folder and starts `prometheus` on a free
 * loopback port with its storage in that folder; resolves once the server reports ready.
 */
export const startPrometheus = async (
  config: (dir: string) => Promise<object> | object,
): Promise<PrometheusServer> => {
  const dir = mkdtempSync(join(tmpdir(), "tickflow-prometheus-"));
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const configPath = join(dir, "prometheus.yml");
  await Bun.write(configPath, stringify(await config(dir)));
  const logPath = join(dir, "prometheus.log");
  const child = Bun.spawn(
    [
      tool("prometheus"),
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdout: "ignore", stderr: Bun.file(logPath) },
  );
  // Dies with the test process at the latest, even when a failure skips `stop`.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const log = async () => ((await Bun.file(logPath).exists()) ? Bun.file(logPath).text() : "");
  const stop = async () => {
    process.off("exit", killOnExit);
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
    if (!exited) {
      child.kill("SIGKILL");
      await child.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`${path}: ${body.error}`);
    return body.data;
  };
  const query = async (promql: string) =>
    (
      await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent(promql)}`,
      )
    ).result;
  let state: string;
  try {
    state = await waitFor("Prometheus to be ready", async () => {
      if (child.exitCode !== null) return "exited";
      return (await fetch(`${url}/-/ready`)).ok ? "ready" : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  if (state === "exited") {
    const text = await log();
    await stop();
    throw new Error(`prometheus exited at start: ${text}`);
  }
  return { url, dir, query, api, log, stop };
};
