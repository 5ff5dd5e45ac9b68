import {
  pipelineReady,
  startTickflowProcess,
  type TickflowProcess,
} from "../../tests/support/dev-process.ts";
import { type DevSetup, startDevSetup } from "./dev-setup.ts";
import { cpuSeconds, loadAverage } from "./proc.ts";
import { bucketDelta, buckets, type Sample, scrape, total } from "./scrape.ts";

/**
 * The production shape on one machine: `bun src/main.ts simulate`, ingest reading it as its Finnhub
 * source (ROLES=ingest, next to the source), and processor + writer in a second process (next to the
 * store), talking through Kafka.
 */
export interface KafkaRoles {
  /** The simulator and the ingest process. */
  source: DevSetup;
  /** ROLES=processor,writer. */
  sink: TickflowProcess;
  stop(): Promise<void>;
}

export interface KafkaRolesOptions {
  rate: number;
  symbols: readonly string[];
  /** Environment of both processes: TRANSPORT=kafka, brokers, topic prefix, store... */
  env: Record<string, string>;
  /** Flags for both processes' bun (e.g. `--cpu-prof-md`). */
  bunFlags?: string[];
}

export const startKafkaRoles = async (options: KafkaRolesOptions): Promise<KafkaRoles> => {
  const { env, bunFlags } = options;
  const source = await startDevSetup({ ...options, env: { ...env, ROLES: "ingest" }, bunFlags });
  try {
    const sink = await startTickflowProcess({
      env: { ...env, ROLES: "processor,writer", HOST: "127.0.0.1", PORT: "0" },
      ...pipelineReady,
      bunFlags,
    });
    return {
      source,
      sink,
      stop: async () => {
        await sink.stop();
        await source.stop();
      },
    };
  } catch (error) {
    await source.stop();
    throw error;
  }
};

const LATENCY = "end_to_end_latency_seconds";
const fromIngest = { from: "ingest" };

/** What the pipeline did in a measured window, per second. */
export interface RolesWindow {
  ingested: number;
  stored: number;
  /** Trades ingest dropped because the transport was behind the live source. */
  dropped: number;
  /** Cumulative buckets of trade accepted by ingest -> durable, observed in the window. */
  latency: [number, number][];
  /** Cumulative buckets of frame arrival -> its trades acknowledged by Kafka (ingest's first hop). */
  publish: [number, number][];
  /** Cores used per process in the window (1 = one core); undefined when its pid is unknown. */
  cpu: Record<string, number | undefined>;
  load: number;
}

/**
 * Lets the pipeline warm up, then measures `seconds`: counter deltas from both processes' `/metrics`
 * and the CPU of the named processes (`others`: e.g. the broker's JVM).
 */
export const measureKafkaRoles = async (
  { source, sink }: KafkaRoles,
  {
    warmUpSeconds,
    seconds,
    others = {},
  }: {
    warmUpSeconds: number;
    seconds: number;
    others?: Record<string, number | undefined>;
  },
): Promise<RolesWindow> => {
  const pids: Record<string, number | undefined> = {
    simulator: source.simulator.pid,
    ingest: source.pipeline.pid,
    sink: sink.pid,
    ...others,
  };
  const cpu = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(pids).map(async ([name, pid]) => [name, pid && (await cpuSeconds(pid))] as const),
      ),
    );
  await Bun.sleep(warmUpSeconds * 1_000);
  const read = async () => ({
    source: await scrape(source.pipeline.url),
    sink: await scrape(sink.url),
    cpu: await cpu(),
  });
  const before = await read();
  await Bun.sleep(seconds * 1_000);
  const after = await read();
  const rate = (pick: (r: typeof before) => Sample[], name: string) =>
    (total(pick(after), name) - total(pick(before), name)) / seconds;
  const histogram = (pick: (r: typeof before) => Sample[], name: string, labels = {}) =>
    bucketDelta(buckets(pick(before), name, labels), buckets(pick(after), name, labels));
  return {
    ingested: rate((r) => r.source, "ingest_trades_total"),
    stored: rate((r) => r.sink, "trades_stored_total"),
    dropped: rate((r) => r.source, "ingest_dropped_trades_total"),
    latency: histogram((r) => r.sink, LATENCY, fromIngest),
    publish: histogram((r) => r.source, "message_processing_latency_seconds"),
    cpu: Object.fromEntries(
      Object.keys(pids).map((name) => {
        const [from, to] = [before.cpu[name], after.cpu[name]];
        return [name, from === undefined || to === undefined ? undefined : (to - from) / seconds];
      }),
    ),
    load: await loadAverage(),
  };
};
