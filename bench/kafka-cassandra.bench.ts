/**
 * Production shape end to end on this machine: the simulator (its own process) -> ingest -> Kafka ->
 * processor -> Kafka -> writer -> Cassandra, one `bun src/main.ts` process per role as in production
 * (ROLES=ingest, ROLES=processor, ROLES=writer), the Kafka broker of
 * tests/support/kafka.ts and the Cassandra node of tests/support/cassandra.ts (or `KAFKA_BROKERS` /
 * `CASSANDRA_CONTACT_POINTS`), all sharing the same cores.
 * Per simulator rate (`BENCH_E2E_RATES`, default 10000,25000,50000,75000): `BENCH_E2E_SECONDS` (default 30)
 * measured after a 10 s warm-up; stored trades/s
 * from `trades_stored_total`, trade accepted by ingest -> durable in Cassandra from the writer's
 * `end_to_end_latency_seconds{from="ingest"}`, CPU of every process.
 */
import { Client } from "cassandra-driver";
import { ensureCassandra, uniqueKeyspace } from "../tests/support/cassandra.ts";
import { pipelineReady, startTickflowProcess, type TickflowProcess } from "../tests/support/dev-process.ts";
import { deleteByPrefix, ensureKafka, uniquePrefix } from "../tests/support/kafka.ts";
import { benchSymbols, type DevSetup, startDevSetup } from "./lib/dev-setup.ts";
import { pidListeningOn, portOf } from "./lib/listener.ts";
import { cpuSeconds, loadAverage } from "./lib/proc.ts";
import { bucketDelta, buckets, quantile, type Sample, scrape, total } from "./lib/scrape.ts";
import type { Benchmark } from "./lib/types.ts";

const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 30);
const WARM_UP_SECONDS = Math.min(10, SECONDS);
const SYMBOLS = benchSymbols(50);
const RATES = (process.env.BENCH_E2E_RATES ?? "10000,25000,50000,75000").split(",").map(Number);
const LATENCY = "end_to_end_latency_seconds";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Window {
  ingested: number;
  stored: number;
  latency: [number, number][];
  /** Cores used by each process in the window (1 = one core), undefined when its pid is unknown. */
  cpu: Record<"ingest" | "processor" | "writer" | "kafka" | "cassandra", number | undefined>;
  load: number;
}

/** Processes whose CPU a window reports. */
type Pids = Record<keyof Window["cpu"], number | undefined>;

interface Roles {
  /** The simulator and ingest reading it. */
  source: DevSetup;
  processor: TickflowProcess;
  writer: TickflowProcess;
  stop(): Promise<void>;
}

const startRole = (role: string, env: Record<string, string>) =>
  startTickflowProcess({
    env: { ...env, ROLES: role, HOST: "127.0.0.1", PORT: "0" },
    ...pipelineReady,
  });

const start = async (rate: number, env: Record<string, string>): Promise<Roles> => {
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop();
  };
  try {
    const writer = await startRole("writer", env);
    started.push(writer);
    const processor = await startRole("processor", env);
    started.push(processor);
    const source = await startDevSetup({ rate, symbols: SYMBOLS, env: { ...env, ROLES: "ingest" } });
    started.push(source);
    return { source, processor, writer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

const cpuOf = async (pids: Pids) => {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => [name, pid && (await cpuSeconds(pid))] as const),
  );
  return Object.fromEntries(entries) as Pids;
};

const measure = async (
  { source, processor, writer }: Roles,
  jvms: Pick<Pids, "kafka" | "cassandra">,
): Promise<Window> => {
  const pids: Pids = { ingest: source.pipeline.pid, processor: processor.pid, writer: writer.pid, ...jvms };
  await Bun.sleep(WARM_UP_SECONDS * 1_000);
  const read = async () => ({
    source: await scrape(source.pipeline.url),
    writer: await scrape(writer.url),
    cpu: await cpuOf(pids),
  });
  const before = await read();
  await Bun.sleep(SECONDS * 1_000);
  const after = await read();
  const delta = (pick: (r: typeof before) => Sample[], name: string) =>
    (total(pick(after), name) - total(pick(before), name)) / SECONDS;
  const fromIngest = { from: "ingest" };
  return {
    ingested: delta((r) => r.source, "ingest_trades_total"),
    stored: delta((r) => r.writer, "trades_stored_total"),
    latency: bucketDelta(
      buckets(before.writer, LATENCY, fromIngest),
      buckets(after.writer, LATENCY, fromIngest),
    ),
    cpu: Object.fromEntries(
      Object.keys(pids).map((name) => {
        const [from, to] = [before.cpu[name as keyof Pids], after.cpu[name as keyof Pids]];
        return [name, from === undefined || to === undefined ? undefined : (to - from) / SECONDS];
      }),
    ) as Window["cpu"],
    load: await loadAverage(),
  };
};

/** Share of observations at or under `bound` seconds: exact when `bound` is a bucket bound. */
const shareWithin = (cumulative: readonly [number, number][], bound: number) => {
  const all = cumulative.at(-1)?.[1] ?? 0;
  return all === 0 ? 0 : (cumulative.find(([le]) => le === bound)?.[1] ?? 0) / all;
};

const ms = (seconds: number | undefined) => (seconds === undefined ? "-" : fmt(seconds * 1_000));
const cores = (value: number | undefined) => (value === undefined ? "-" : `${fmt(value * 100)}%`);

const row = (rate: number, w: Window) =>
  `| ${fmt(rate)}/s | ${fmt(w.ingested)} | ${fmt(w.stored)} | ${ms(quantile(w.latency, 0.5))} | ${ms(quantile(w.latency, 0.95))} | ${fmt(shareWithin(w.latency, 1) * 100, 1)}% | ${cores(w.cpu.ingest)} | ${cores(w.cpu.processor)} | ${cores(w.cpu.writer)} | ${cores(w.cpu.kafka)} | ${cores(w.cpu.cassandra)} | ${w.load.toFixed(2)} |`;

export const benchmark: Benchmark = {
  title:
    "End to end on Kafka and Cassandra: simulator -> ingest -> Kafka -> processor -> writer -> Cassandra",
  async run() {
    const [{ brokers }, cassandra] = await Promise.all([ensureKafka(), ensureCassandra()]);
    const jvms = {
      kafka: await pidListeningOn(portOf(brokers[0]!)),
      cassandra: await pidListeningOn(portOf(cassandra.contactPoints[0]!)),
    };
    const rows: string[] = [];
    for (const rate of RATES) {
      const prefix = uniquePrefix("bench-e2e");
      const keyspace = uniqueKeyspace("bench_e2e");
      const env = {
        TRANSPORT: "kafka",
        KAFKA_BROKERS: brokers.join(","),
        KAFKA_TOPIC_PREFIX: prefix,
        STORE: "cassandra",
        CASSANDRA_CONTACT_POINTS: cassandra.contactPoints.join(","),
        CASSANDRA_LOCAL_DC: cassandra.localDc,
        CASSANDRA_KEYSPACE: keyspace,
      };
      const roles = await start(rate, env);
      try {
        rows.push(row(rate, await measure(roles, jvms)));
      } finally {
        await roles.stop();
        await deleteByPrefix(brokers, prefix);
        await dropKeyspace(cassandra.contactPoints, cassandra.localDc, keyspace);
      }
    }
    return [
      `\`bun src/main.ts simulate\`; \`bun src/main.ts\` with ROLES=ingest reading it as its Finnhub source (${SYMBOLS.length} symbols on one connection), one with ROLES=processor and one with ROLES=writer; TRANSPORT=kafka (one broker, default partitions) and STORE=cassandra (one node, scripts/cassandra settings, default writer and store options). Each rate: ${WARM_UP_SECONDS} s warm-up, ${SECONDS} s measured; fresh topics and keyspace.`,
      `Latency: trade accepted by ingest -> durable in Cassandra, from \`${LATENCY}{from="ingest"}\` (up to 32 trades observed per write; p50/p95 interpolated inside the buckets ..., 250 ms, 500 ms, 1 s, 2.5 s ...; "<= 1 s" is exact). CPU: cores used by each process (100% = one core; the simulator is not counted; "-" when the server is not on this machine). Goal: >= 50,000 trades/s sustained with p95 < 1 s.`,
      "",
      "| simulator rate | ingested/s | stored/s | p50 (ms) | p95 (ms) | <= 1 s | ingest CPU | processor CPU | writer CPU | Kafka CPU | Cassandra CPU | load |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n");
  },
};

const dropKeyspace = async (contactPoints: string[], localDataCenter: string, keyspace: string) => {
  const client = new Client({ contactPoints, localDataCenter });
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
};
