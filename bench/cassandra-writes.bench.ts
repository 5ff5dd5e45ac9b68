/**
 * Trade writes into Cassandra through `Store.writeTrades`, on the node of tests/support/cassandra.ts (one
 * JVM on this machine, sharing its cores with the benchmark) or on `CASSANDRA_CONTACT_POINTS`.
 * Finnhub-like trades, 50 symbols, calls of 5,000 trades (the writer's default batch); one caller as one
 * writer partition, four concurrent callers as several; a few rows-per-batch and in-flight settings.
 * Besides trades/s, the CPU time per trade of this process (the driver) and of the node's JVM, which
 * says more than the rate on a machine other work shares.
 */

import type { Client } from "cassandra-driver";
import { build } from "hdr-histogram-js";
import type { Trade } from "../src/modules/contracts/index.ts";
import { type Config, loadConfig } from "../src/runtime/config/index.ts";
import { silentLogger } from "../src/runtime/logger.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { connectCassandra, createCassandraStore } from "../src/runtime/store/cassandra/index.ts";
import type { Store } from "../src/runtime/store/index.ts";
import { ensureCassandra, uniqueKeyspace } from "../tests/support/cassandra.ts";
import { pidListeningOn, portOf } from "./lib/listener.ts";
import { cpuSeconds, loadAverage } from "./lib/proc.ts";
import type { Benchmark } from "./lib/types.ts";

const TRADES = 300_000;
/** The node's JIT needs a few hundred thousand rows before its cost per row settles. */
const WARM_UP = 1_000_000;
const CALL = 5_000;
const SYMBOLS = 50;
const START = Date.UTC(2024, 2, 1, 14, 30);
/** [rows per batch, requests in flight, concurrent callers]; the first is the default configuration. */
const PASSES: [number, number, number][] = [
  [100, 32, 1],
  [100, 32, 4],
  [25, 32, 1],
  [500, 32, 1],
  [100, 8, 1],
  [100, 128, 4],
];

let written = 0;
/** The next `count` trades of one continuous tape, 3 per millisecond. */
const tape = (count: number): Trade[] =>
  Array.from({ length: count }, () => {
    const seq = written++;
    const timestamp = START + Math.floor(seq / 3);
    return {
      id: `replay:9f86d081884c7d65:${seq}`,
      symbol: `SYM${seq % SYMBOLS}`,
      price: 100 + (seq % 997) / 100,
      timestamp,
      volume: 100 * (1 + (seq % 7)),
      conditions: seq % 4 === 0 ? [] : ["1", "12"],
      processed_at: timestamp + 40,
      source: "replay:bench",
      seq,
    };
  });

const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Writes `trades` in calls of CALL trades from `callers` concurrent loops. */
const pass = async (store: Store, trades: Trade[], callers: number, nodePid: number | undefined) => {
  const latency = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let next = 0;
  const [client0, node0] = [ownCpu(), nodePid && (await cpuSeconds(nodePid))];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < trades.length) {
        const slice = trades.slice(next, next + CALL);
        next += CALL;
        const called = performance.now();
        await store.writeTrades(slice);
        latency.recordValue(Math.round((performance.now() - called) * 1_000));
      }
    }),
  );
  const seconds = (performance.now() - began) / 1_000;
  const perTrade = (cpu: number) => (cpu * 1e6) / trades.length;
  const result = {
    rate: Math.round(trades.length / seconds),
    p50: latency.getValueAtPercentile(50) / 1_000,
    p95: latency.getValueAtPercentile(95) / 1_000,
    clientCpu: perTrade(ownCpu() - client0),
    nodeCpu: nodePid && node0 !== undefined ? perTrade((await cpuSeconds(nodePid)) - node0) : undefined,
    load: await loadAverage(),
  };
  latency.destroy();
  return result;
};

const storeFor = (options: Config["cassandra"], client: Client, batchRows: number, concurrency: number) =>
  createCassandraStore({
    options: { ...options, batchRows, writeConcurrency: concurrency, migrateOnStart: false },
    logger: silentLogger(),
    registry: createRegistry(),
    client,
  });

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

export const benchmark: Benchmark = {
  title: "Trade writes into Cassandra",
  async run() {
    const endpoint = await ensureCassandra();
    const nodePid = await pidListeningOn(portOf(endpoint.contactPoints[0]!));
    const keyspace = uniqueKeyspace("bench");
    const { cassandra } = loadConfig([], {
      STORE: "cassandra",
      CASSANDRA_CONTACT_POINTS: endpoint.contactPoints.join(","),
      CASSANDRA_LOCAL_DC: endpoint.localDc,
      CASSANDRA_KEYSPACE: keyspace,
    }).config;
    const client = await connectCassandra(cassandra);
    try {
      // Creates the keyspace, then warms the node and the driver up with the default settings.
      const migrated = await createCassandraStore({
        options: cassandra,
        logger: silentLogger(),
        registry: createRegistry(),
        client,
      });
      await pass(migrated, tape(WARM_UP), 1, nodePid);
      await migrated.close();
      const rows: string[] = [];
      for (const [batchRows, concurrency, callers] of PASSES) {
        const store = await storeFor(cassandra, client, batchRows, concurrency);
        const r = await pass(store, tape(TRADES), callers, nodePid);
        await store.close();
        const node = r.nodeCpu === undefined ? "-" : r.nodeCpu.toFixed(1);
        rows.push(
          `| ${batchRows} | ${concurrency} | ${callers} | ${fmt(r.rate)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.clientCpu.toFixed(1)} | ${node} | ${r.load.toFixed(2)} |`,
        );
      }
      return [
        `${fmt(TRADES)} trades per pass after a ${fmt(WARM_UP)}-trade warm-up, ${SYMBOLS} symbols, calls of ${fmt(CALL)} trades, LOCAL_QUORUM, prepared statements, unlogged batches within one partition. Defaults: CASSANDRA_BATCH_ROWS=${cassandra.batchRows}, CASSANDRA_WRITE_CONCURRENCY=${cassandra.writeConcurrency}.`,
        'One Cassandra 5.0 node (scripts/cassandra: 1 GiB heap, trie memtables off the heap, 8 write threads) on the same machine; it and the benchmark share the cores. CPU columns: CPU time per trade of the benchmark process (the driver encoding requests) and of the node\'s JVM ("-" when the node is elsewhere). The node figure includes the flushes and compactions that ran during the pass, so single passes vary by a third or more on a busy machine. On 2 free cores, trades/s tops out near 2 s / (client + node CPU per trade).',
        "",
        "| rows per batch | in flight | callers | trades/s | call p50 (ms) | call p95 (ms) | client CPU µs/trade | node CPU µs/trade | load |",
        "|---|---|---|---|---|---|---|---|---|",
        ...rows,
      ].join("\n");
    } finally {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    }
  },
};
