import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Client } from "cassandra-driver";
import { loadConfig } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import { connectCassandra } from "../../../src/runtime/store/cassandra/client.ts";
import { createCassandraStore } from "../../../src/runtime/store/cassandra/index.ts";
import { createStore, type Store } from "../../../src/runtime/store/index.ts";
import { type CassandraEndpoint, ensureCassandra, uniqueKeyspace } from "../../support/cassandra.ts";
import { makeBar, makeTrade, storeContract, stored } from "./contract.ts";

const DAY = 86_400_000;
const keyspace = uniqueKeyspace("store");
let endpoint: CassandraEndpoint;
let client: Client;

/** Config of a store on the test node, in this file's keyspace. */
const configFor = (env: Record<string, string> = {}) =>
  loadConfig([], {
    STORE: "cassandra",
    CASSANDRA_CONTACT_POINTS: endpoint.contactPoints.join(","),
    CASSANDRA_LOCAL_DC: endpoint.localDc,
    CASSANDRA_KEYSPACE: keyspace,
    ...env,
  }).config;

beforeAll(async () => {
  endpoint = await ensureCassandra();
  client = await connectCassandra(endpoint);
  // Migrates the keyspace once; every store below shares it (tests use unique symbols).
  await (
    await createStore({ config: configFor(), logger: silentLogger(), registry: createRegistry() })
  ).close();
}, 300_000);

afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}, 60_000);

const sharedStore = () =>
  createCassandraStore({
    options: configFor({ MIGRATE_ON_START: "false" }).cassandra,
    logger: silentLogger(),
    registry: createRegistry(),
    client,
  });

storeContract("cassandra", async () => {
  const store = await sharedStore();
  return { store, cleanup: () => store.close() };
});

describe("Cassandra store", () => {
  let store: Store;
  beforeAll(async () => {
    store = await sharedStore();
  });
  afterAll(() => store.close());

  test("trades and bars carry the TTLs of DESIGN section 5", async () => {
    const now = Date.now();
    await store.writeTrades([makeTrade("TTLT", 1, now)]);
    await store.writeBars([makeBar("TTLT", now - (now % 60_000))]);
    const date = new Date(now);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const trade = await client.execute(
      `SELECT TTL(price) AS ttl FROM ${keyspace}.trades_v2 WHERE symbol = 'TTLT' AND trade_year = ? AND trade_month = ? AND trade_day = ?`,
      [year, month, day],
      { prepare: true },
    );
    const bar = await client.execute(
      `SELECT TTL(close) AS ttl FROM ${keyspace}.trade_aggregates WHERE symbol = 'TTLT' AND trade_year = ? AND trade_month = ?`,
      [year, month],
      { prepare: true },
    );
    const trades = trade.first()?.get("ttl") as number;
    const bars = bar.first()?.get("ttl") as number;
    expect(trades).toBeGreaterThan(30 * 86_400 - 600);
    expect(trades).toBeLessThanOrEqual(30 * 86_400);
    expect(bars).toBeGreaterThan(90 * 86_400 - 600);
    expect(bars).toBeLessThanOrEqual(90 * 86_400);
  });

  test("a range over several days returns the trades of every day partition, in order", async () => {
    const start = Date.UTC(2024, 11, 29, 22);
    // One trade every 5 hours for 6 days: 29 trades over 7 UTC days, across a year end.
    const trades = Array.from({ length: 29 }, (_, seq) =>
      stored(makeTrade("DAYS", seq, start + seq * 5 * 3_600_000)),
    );
    await store.writeTrades(trades.toReversed());
    const days = new Set(trades.map((trade) => new Date(trade.timestamp).toISOString().slice(0, 10)));
    expect(days.size).toBe(7);
    const query = { symbol: "DAYS", from: start, to: start + 7 * DAY, limit: 1_000 };
    const asc = await store.queryTrades({ ...query, sort: "asc" });
    expect(asc.results).toEqual(trades);
    const desc = await store.queryTrades({ ...query, sort: "desc" });
    expect(desc.results).toEqual(trades.toReversed());
    expect(await store.tradesBetween("DAYS", start, start + 7 * DAY)).toEqual(trades);
  });

  test("symbols() keeps the latest trade whatever order batches arrive in", async () => {
    const base = Date.UTC(2024, 5, 3, 12);
    await store.writeTrades([makeTrade("LATE", 5, base + 5_000, { price: 9 })]);
    await store.writeTrades([makeTrade("LATE", 2, base + 2_000, { price: 1 })]);
    const summary = (await store.symbols()).find((entry) => entry.symbol === "LATE");
    expect(summary).toMatchObject({ lastPrice: 9, lastTradeAt: base + 5_000 });
  });

  test("writes count their latency; health names the datacenter", async () => {
    const registry = createRegistry();
    const instrumented = await createCassandraStore({
      options: configFor({ MIGRATE_ON_START: "false" }).cassandra,
      logger: silentLogger(),
      registry,
      client,
    });
    await instrumented.writeTrades([makeTrade("MTRC", 1, Date.UTC(2024, 0, 2))]);
    await instrumented.writeBars([makeBar("MTRC", Date.UTC(2024, 0, 2))]);
    const latency = await registry.getSingleMetricAsString("store_write_latency_seconds");
    expect(latency).toContain('store_write_latency_seconds_count{kind="trades"} 1');
    expect(latency).toContain('store_write_latency_seconds_count{kind="bars"} 1');
    expect(await instrumented.health()).toMatchObject({
      ok: true,
      detail: expect.stringContaining(endpoint.localDc),
    });
    await instrumented.close();
    expect(await instrumented.health()).toMatchObject({ ok: false });
  });
});
