import { join } from "node:path";
import { Client } from "cassandra-driver";

/** Where a test finds Cassandra. */
export interface CassandraEndpoint {
  contactPoints: string[];
  localDc: string;
}

/** A Cassandra node run by scripts/cassandra/run.sh for the tests of this process. */
export interface CassandraNode extends CassandraEndpoint {
  /** Stops the JVM; the data stays when the node was launched with a `dir`. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and folder, resolving once the driver connects. */
  start(): Promise<void>;
}

export interface LaunchOptions {
  /** Data folder kept across stop/start; a fresh temp folder deleted on stop when omitted. */
  dir?: string;
  /** JVM heap, e.g. "1g". */
  heap?: string;
  /** Longest wait for the first driver connection (the first run also fetches the jars). */
  readyTimeoutMs?: number;
}

const runScript = join(import.meta.dir, "../../scripts/cassandra/run.sh");
const localDc = "datacenter1";
const tailBytes = 16_384;

const freePort = (): number => {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
};

/** Keeps the last few KB of a stream so a failed start can say why without holding every log line. */
const tail = (stream: ReadableStream<Uint8Array>) => {
  let text = "";
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text = (text + decoder.decode(chunk)).slice(-tailBytes);
  })().catch(() => {});
  return () => text;
};

const connects = async (contactPoint: string): Promise<boolean> => {
  const client = new Client({ contactPoints: [contactPoint], localDataCenter: localDc });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.shutdown().catch(() => {});
  }
};

/** Starts one node on loopback with free ports; the node dies with this process (run.sh watches our pid). */
export const launchCassandraNode = async (options: LaunchOptions = {}): Promise<CassandraNode> => {
  const nativePort = freePort();
  const storagePort = freePort();
  const contactPoint = `127.0.0.1:${nativePort}`;
  let running: Bun.Subprocess<"ignore", "pipe", "pipe"> | undefined;
  const killOnExit = () => running?.kill("SIGTERM");

  const start = async () => {
    if (running) return;
    const args = ["--native-port", `${nativePort}`, "--storage-port", `${storagePort}`];
    if (options.dir) args.push("--dir", options.dir);
    if (options.heap) args.push("--heap", options.heap);
    const child = Bun.spawn([runScript, ...args, "--watch-pid", `${process.pid}`], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    running = child;
    // The node must not keep this process alive: it is stopped on exit instead.
    child.unref();
    process.once("exit", killOnExit);
    const output = tail(child.stdout);
    const errors = tail(child.stderr);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 240_000);
    while (!(await connects(contactPoint))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGTERM");
        throw new Error(
          `Cassandra did not accept CQL on ${contactPoint} (exit ${child.exitCode}):\n${output()}\n${errors()}`,
        );
      }
      await Bun.sleep(250);
    }
  };

  const stop = async () => {
    const child = running;
    if (!child) return;
    running = undefined;
    process.off("exit", killOnExit);
    child.ref();
    child.kill("SIGTERM");
    await child.exited;
  };

  await start();
  return { contactPoints: [contactPoint], localDc, start, stop };
};
