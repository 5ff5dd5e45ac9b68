/**
 * Trade writes into Cassandra through `Store.writeTrades`, on the node of tests/support/cassandra.ts (one
 * JVM on this machine, sharing its cores with the benchmark) or on `CASSANDRA_CONTACT_POINTS`.
 * Finnhub-like trades, 50 symbols, calls of 5,000 trades (the writer's default batch), default store
 * options; one caller as the writer runs today, and four concurrent callers.
 */
import { build } from "hdr-histogram-js";
import type { Trade } from "../src/modules/contracts/index.ts";
import { loadConfig } from "../src/runtime/config/index.ts";
import { silentLogger } from "../src/runtime/logger.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { connectCassandra, createCassandraStore } from "../src/runtime/store/cassandra/index.ts";
import type { Store } from "../src/runtime/store/index.ts";
import { ensureCassandra, uniqueKeyspace } from "../tests/support/cassandra.ts";
import type { Benchmark } from "./lib/types.ts";

const TRADES = 300_000;
const WARM_UP = 50_000;
const CALL = 5_000;
const SYMBOLS = 50;
const START = Date.UTC(2024, 2, 1, 14, 30);

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

/** Writes `trades` in calls of CALL trades from `callers` concurrent loops; trades/s and call latency. */
const pass = async (store: Store, trades: Trade[], callers: number) => {
  const latency = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let next = 0;
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
  const result = {
    rate: Math.round(trades.length / seconds),
    p50: latency.getValueAtPercentile(50) / 1_000,
    p95: latency.getValueAtPercentile(95) / 1_000,
  };
  latency.destroy();
  return result;
};

export const benchmark: Benchmark = {
  title: "Trade writes into Cassandra",
  async run() {
    const endpoint = await ensureCassandra();
    const keyspace = uniqueKeyspace("bench");
    const { cassandra } = loadConfig([], {
      STORE: "cassandra",
      CASSANDRA_CONTACT_POINTS: endpoint.contactPoints.join(","),
      CASSANDRA_LOCAL_DC: endpoint.localDc,
      CASSANDRA_KEYSPACE: keyspace,
    }).config;
    const client = await connectCassandra(cassandra);
    const store = await createCassandraStore({
      options: cassandra,
      logger: silentLogger(),
      registry: createRegistry(),
      client,
    });
    try {
      await pass(store, tape(WARM_UP), 1);
      const rows: string[] = [];
      for (const callers of [1, 4]) {
        const { rate, p50, p95 } = await pass(store, tape(TRADES), callers);
        rows.push(`| ${callers} | ${rate.toLocaleString("en-US")} | ${p50.toFixed(0)} | ${p95.toFixed(0)} |`);
      }
      return [
        `${TRADES.toLocaleString("en-US")} trades per run after a ${WARM_UP.toLocaleString("en-US")}-trade warm-up, ${SYMBOLS} symbols, calls of ${CALL.toLocaleString("en-US")} trades; batches of ${cassandra.batchRows} rows per partition, ${cassandra.writeConcurrency} requests in flight, LOCAL_QUORUM.`,
        "One Cassandra 5.0 node (1 GiB heap) on the same machine: it and the benchmark share the cores.",
        "",
        "| concurrent callers | trades/s | call p50 (ms) | call p95 (ms) |",
        "|---|---|---|---|",
        ...rows,
      ].join("\n");
    } finally {
      await store.close();
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    }
  },
};
