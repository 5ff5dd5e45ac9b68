import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumerGroups, topics } from "../../src/modules/contracts/index.ts";
import { forEachLine, pipelineReady } from "./dev-process.ts";
import { deleteByPrefix, groupLag } from "./kafka.ts";
import { type StoreCounts, storeCounts } from "./sqlite-contents.ts";

const root = join(import.meta.dir, "../..");

/** One `bun src/main.ts` child process of a role-split pipeline. */
export class RoleProcess {
  /** The child's log lines so far, for failure messages. */
  readonly log: string[] = [];
  /** Resolves with the exit code (or the signal's number + 128). */
  readonly exited: Promise<number>;
  readonly #child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  readonly #url = Promise.withResolvers<string>();

  constructor(
    readonly name: string,
    args: readonly string[],
    env: Record<string, string>,
  ) {
    this.#child = Bun.spawn([process.execPath, "src/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.#url.promise.catch(() => {});
    const drained = Promise.all([this.#drain(this.#child.stdout), this.#drain(this.#child.stderr)]);
    this.exited = this.#child.exited.then(async (code) => {
      await drained;
      this.#url.reject(new Error(`${name} exited (${code}) before it ran:\n${this.tail()}`));
      return code;
    });
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** False once the process has exited, whatever ended it. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The process's HTTP base URL, once it logged that it runs; fails after `timeoutMs`. */
  async url(timeoutMs = 60_000): Promise<string> {
    const timer = setTimeout(
      () => this.#url.reject(new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.tail()}`)),
      timeoutMs,
    );
    try {
      return await this.#url.promise;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` and resolves with the exit code once the process is gone. */
  kill(signal: NodeJS.Signals = "SIGTERM"): Promise<number> {
    this.#child.kill(signal);
    return this.exited;
  }

  /** The last log lines. */
  tail(lines = 40): string {
    return this.log.slice(-lines).join("\n");
  }

  #drain(stream: ReadableStream<Uint8Array>) {
    return forEachLine(stream, (line) => {
      this.log.push(line);
      const port = pipelineReady.ready.exec(line)?.[1];
      if (port) this.#url.resolve(pipelineReady.toUrl(port));
    });
  }
}

export interface RoleSplitOptions {
  brokers: readonly string[];
  /** Topic and group prefix of this pipeline (`uniquePrefix`). */
  prefix: string;
  /** Environment of every process, on top of the defaults. */
  env?: Record<string, string>;
  /** A folder that receives each process's whole log at `stop` (for investigating a failure). */
  keepLogsIn?: string;
}

/**
 * A pipeline of one process per role on a real Kafka with its own topics and groups, storing into a
 * fresh SQLite file. `stop` ends every process and deletes the file, the topics and the groups.
 */
export class RoleSplit {
  readonly dbPath: string;
  readonly processes = new Map<string, RoleProcess>();
  readonly #dir = mkdtempSync(join(tmpdir(), "tickflow-roles-"));
  readonly #env: Record<string, string>;

  constructor(private readonly options: RoleSplitOptions) {
    this.dbPath = join(this.#dir, "tickflow.db");
    this.#env = {
      TRANSPORT: "kafka",
      KAFKA_BROKERS: options.brokers.join(","),
      KAFKA_TOPIC_PREFIX: options.prefix,
      // Short group timings: a killed member's partitions move on within seconds.
      KAFKA_SESSION_TIMEOUT_MS: "6000",
      KAFKA_HEARTBEAT_INTERVAL_MS: "500",
      KAFKA_REBALANCE_TIMEOUT_MS: "6000",
      KAFKA_LAG_INTERVAL_MS: "500",
      SQLITE_PATH: this.dbPath,
      HOST: "127.0.0.1",
      PORT: "0",
      API_TOKEN: "",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      STATS_INTERVAL_MS: "0",
      NODE_NO_WARNINGS: "1",
      ...options.env,
    };
  }

  /**
   * Starts `bun src/main.ts` with `ROLES=roles` (e.g. "writer", "processor,writer"), registered under
   * that name in place of a stopped one; resolves once it runs.
   */
  async start(roles: string, env: Record<string, string> = {}): Promise<RoleProcess> {
    const child = this.spawn(roles, [], { ROLES: roles, ...env });
    await child.url();
    return child;
  }

  /** `ROLES=ingest bun src/main.ts replay FILE...` (it exits once everything is published). */
  replay(files: readonly string[], env: Record<string, string> = {}): RoleProcess {
    return this.spawn("ingest", ["replay", ...files], { ROLES: "ingest", ...env });
  }

  /** Any `bun src/main.ts` process of this pipeline, registered under `name`. */
  spawn(name: string, args: readonly string[], env: Record<string, string>): RoleProcess {
    const child = new RoleProcess(name, args, { ...this.#env, ...env });
    this.processes.set(name, child);
    return child;
  }

  /** `kill -9` of a running process; resolves once it is gone. */
  async crash(name: string): Promise<void> {
    await this.processes.get(name)?.kill("SIGKILL");
  }

  /**
   * Waits until the store has the counts of `want` and the processor and writer groups committed
   * everything; fails after `timeoutMs` with the last counts, `context()` and every process's log tail.
   */
  async settle(want: Partial<StoreCounts>, timeoutMs: number, context = () => ""): Promise<void> {
    const { brokers, prefix } = this.options;
    const lag = (group: string, topic: string) => groupLag(brokers, `${prefix}${group}`, `${prefix}${topic}`);
    let last = "";
    await pollUntil(
      async () => {
        const counts = storeCounts(this.dbPath);
        const lags = [
          await lag(consumerGroups.processor, topics.trades),
          await lag(consumerGroups.writer, topics.processed),
        ];
        last = JSON.stringify({ ...counts, lags });
        const stored = Object.entries(want).every(([key, n]) => counts[key as keyof StoreCounts] === n);
        return stored && lags.every((n) => n === 0);
      },
      timeoutMs,
      () => `store and lags ${last}\n${context()}${this.logs()}`,
    );
  }

  /** The last lines of every process, for failure messages. */
  logs(lines = 40): string {
    return [...this.processes.values()].map((p) => `--- ${p.name}\n${p.tail(lines)}`).join("\n");
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map(stopProcess));
    const { keepLogsIn } = this.options;
    if (keepLogsIn) {
      mkdirSync(keepLogsIn, { recursive: true });
      for (const child of this.processes.values()) {
        writeFileSync(join(keepLogsIn, `${child.name}.log`), `${child.log.join("\n")}\n`);
      }
    }
    await deleteByPrefix(this.options.brokers, this.options.prefix).catch(() => {});
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** SIGTERM, then SIGKILL when the process has not exited within 10 s. */
const stopProcess = async (child: RoleProcess) => {
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await child.kill("SIGTERM");
  clearTimeout(killer);
};

/** Polls an asynchronous condition until it holds; fails with `explain()` after `timeoutMs`. */
export const pollUntil = async (
  condition: () => Promise<boolean>,
  timeoutMs: number,
  explain: () => string,
  intervalMs = 250,
) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${explain()}`);
    await Bun.sleep(intervalMs);
  }
};
