import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { clusterId, freePort, log4jProperties, serverProperties } from "./node-config.ts";

/**
 * One Kafka 3.9 node in KRaft mode on loopback, for tests, benchmarks and local runs without Docker.
 * `bun scripts/kafka/broker.ts` runs one in the foreground and prints its KAFKA_BROKERS.
 */
export interface KafkaBroker {
  /** Bootstrap addresses of the PLAINTEXT listener. */
  readonly brokers: string[];
  /** Folder of the broker's data, configuration and logs. */
  readonly dir: string;
  /** Shuts the broker down cleanly, keeping its data so `start` can bring it back. */
  stop(): Promise<void>;
  /** Starts a stopped broker again on the same ports with the same data; resolves once it serves. */
  start(): Promise<void>;
  /** Kills the broker and deletes its data; idempotent. */
  destroy(): Promise<void>;
}

export interface KafkaBrokerOptions {
  /** Longest wait for the broker to serve, in ms. */
  readyTimeoutMs?: number;
  heapMb?: number;
}

const here = import.meta.dir;
const running = new Set<Bun.Subprocess>();

// Killing from the exit hook cannot wait: the supervisor kills the JVM and removes the data on SIGHUP.
process.once("exit", () => {
  for (const child of running) child.kill("SIGHUP");
});

/**
 * Downloads the broker's jars on first use (saying so on stderr, with Maven's output if it fails);
 * resolves to the folder holding them.
 */
export const fetchKafka = async (): Promise<string> => {
  const fetch = Bun.spawn(["bash", join(here, "fetch.sh")], { stdout: "pipe", stderr: "inherit" });
  const [out, code] = await Promise.all([new Response(fetch.stdout).text(), fetch.exited]);
  if (code !== 0)
    throw new Error(`could not fetch Kafka: scripts/kafka/fetch.sh exited ${code} (output above)`);
  return out.trim();
};

const tail = (path: string, lines = 30) => {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no output)";
  }
};

const java = (lib: string, dir: string, heapMb: number, args: string[]) => [
  "java",
  `-Xmx${heapMb}m`,
  "-Djava.awt.headless=true",
  `-Dlog4j.configuration=file:${join(dir, "log4j.properties")}`,
  "-cp",
  `${lib}/*`,
  ...args,
];

const waitUntilServing = async (brokers: string[], child: Bun.Subprocess, deadline: number) => {
  const admin = new Kafka({
    brokers,
    clientId: "tickflow-harness",
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      try {
        await admin.connect();
        await admin.describeCluster();
        return true;
      } catch {
        await admin.disconnect().catch(() => {});
        await Bun.sleep(200);
      }
    }
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
};

/** Fetches Kafka if needed, formats a fresh data folder and starts the node; resolves once it serves. */
export const startKafkaBroker = async (options: KafkaBrokerOptions = {}): Promise<KafkaBroker> => {
  const lib = await fetchKafka();
  const heapMb = options.heapMb ?? 512;
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const dir = mkdtempSync(join(tmpdir(), "tickflow-kafka-"));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const brokers = [`127.0.0.1:${port}`];
  const config = join(dir, "server.properties");
  writeFileSync(config, serverProperties(dir, port, controllerPort));
  writeFileSync(join(dir, "log4j.properties"), log4jProperties(dir));

  const format = Bun.spawn(
    java(lib, dir, 256, [
      "kafka.tools.StorageTool",
      "format",
      "-t",
      clusterId(),
      "-c",
      config,
      "--ignore-formatted",
    ]),
    { stdout: Bun.file(join(dir, "format.out")), stderr: "pipe" },
  );
  if ((await format.exited) !== 0) {
    throw new Error(`formatting Kafka storage failed:\n${await new Response(format.stderr).text()}`);
  }

  let child: Bun.Subprocess | undefined;
  const output = join(dir, "server.out");
  const errors = join(dir, "server.err");
  const launch = async () => {
    const spawned = Bun.spawn(
      [
        "bash",
        join(here, "supervise.sh"),
        String(process.pid),
        dir,
        ...java(lib, dir, heapMb, ["kafka.Kafka", config]),
      ],
      { stdout: Bun.file(output), stderr: Bun.file(errors) },
    );
    spawned.unref();
    running.add(spawned);
    child = spawned;
    if (await waitUntilServing(brokers, spawned, Date.now() + readyTimeoutMs)) return;
    const exited = spawned.exitCode ?? spawned.signalCode;
    const logs = [output, errors, join(dir, "server.log")].map((file) => tail(file)).join("\n");
    await halt("SIGHUP");
    rmSync(dir, { recursive: true, force: true });
    const why =
      exited === null ? `did not serve within ${readyTimeoutMs} ms` : `exited (${exited}) before serving`;
    throw new Error(`Kafka ${why}; its last output:\n${logs}`);
  };
  const halt = async (signal: "SIGTERM" | "SIGHUP") => {
    const current = child;
    if (!current) return;
    child = undefined;
    current.kill(signal);
    await current.exited;
    running.delete(current);
  };

  await launch();
  return {
    brokers,
    dir,
    stop: () => halt("SIGTERM"),
    start: async () => {
      if (!child) await launch();
    },
    destroy: async () => {
      if (child) await halt("SIGHUP");
      else rmSync(dir, { recursive: true, force: true });
    },
  };
};

if (import.meta.main) {
  const broker = await startKafkaBroker();
  console.log(`KAFKA_BROKERS=${broker.brokers.join(",")}`);
  // The broker process is unref'ed for tests; in the foreground this timer keeps the script alive.
  setInterval(() => {}, 1 << 30);
  const shutdown = () => void broker.destroy().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
