import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "cassandra-driver";
import { accumulateTrades, MINUTE_MS, toBar } from "../../src/modules/bars/index.ts";
import { connectCassandra } from "../../src/runtime/store/cassandra/index.ts";
import { type CassandraEndpoint, ensureCassandra, uniqueKeyspace } from "../support/cassandra.ts";
import { type DevProcess, startDevProcess } from "../support/dev-process.ts";
import {
  barListDifferences,
  goldenDay,
  goldenDifferences,
  goldenSymbols,
  goldenTape,
  loadGoldenBars,
  loadGoldenTrades,
  servedTradeContent,
  tradeContent,
} from "../support/golden.ts";
import { apiBars, apiTrades, runReplay } from "./support.ts";

const keyspace = uniqueKeyspace("golden");

let endpoint: CassandraEndpoint;
let client: Client;
let api: DevProcess;
let dir: string;
let firstRun: { code: number; output: string };

const storeEnv = () => ({
  STORE: "cassandra",
  CASSANDRA_CONTACT_POINTS: endpoint.contactPoints.join(","),
  CASSANDRA_LOCAL_DC: endpoint.localDc,
  CASSANDRA_KEYSPACE: keyspace,
});

beforeAll(async () => {
  endpoint = await ensureCassandra();
  client = await connectCassandra(endpoint);
  dir = mkdtempSync(join(tmpdir(), "tickflow-cassandra-golden-"));
  firstRun = await runReplay(storeEnv(), goldenTape);
  // A separate api process on the same keyspace: what it serves comes from Cassandra, not from memory.
  api = await startDevProcess({ ...storeEnv(), ROLES: "api", MIGRATE_ON_START: "false" });
}, 300_000);

afterAll(async () => {
  await api?.stop();
  await client?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client?.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("bun run replay of the golden tape into Cassandra, read through the API", () => {
  test("exits 0 once everything is durable", () => {
    expect(firstRun.output).not.toContain('"level":50');
    expect(firstRun.code).toBe(0);
  });

  test("/v1/trades pages through exactly the 49,644 trades, in order", async () => {
    const expected = await loadGoldenTrades();
    let total = 0;
    for (const symbol of goldenSymbols) {
      const served = await apiTrades(api.url, symbol, goldenDay, 5_000);
      total += served.length;
      expect(new Set(served.map((trade) => trade.id)).size).toBe(served.length);
      const unordered = served.findIndex(
        (b, i) =>
          i > 0 && !(served[i - 1]!.t < b.t || (served[i - 1]!.t === b.t && served[i - 1]!.id < b.id)),
      );
      expect(unordered).toBe(-1);
      const mine = expected.filter((trade) => trade.symbol === symbol);
      expect(served.map((trade) => servedTradeContent(symbol, trade)).sort()).toEqual(
        mine.map(tradeContent).sort(),
      );
    }
    expect(total).toBe(49_644);
  });

  test("/v1/bars serves exactly the 887 golden bars, all final at rev 0", async () => {
    const served = [];
    for (const symbol of goldenSymbols) {
      served.push(...(await apiBars(api.url, symbol, goldenDay)).map((bar) => ({ symbol, ...bar })));
    }
    expect(served).toHaveLength(887);
    expect(await goldenDifferences(served)).toEqual([]);
    expect(served.every((bar) => bar.final && bar.rev === 0)).toBe(true);
  });

  test("trades carry a 30-day TTL and bars a 90-day TTL (CQL TTL())", async () => {
    const ttls = async (query: string) =>
      (await client.execute(query, [], { prepare: true })).rows.map((row) => row.get("ttl") as number);
    const trades = await ttls(
      `SELECT TTL(price) AS ttl FROM ${keyspace}.trades_v2 WHERE symbol = 'IBM' AND trade_year = 2013 AND trade_month = 10 AND trade_day = 7 LIMIT 200`,
    );
    const bars = await ttls(
      `SELECT TTL(close) AS ttl FROM ${keyspace}.trade_aggregates WHERE symbol = 'AIG' AND trade_year = 2013 AND trade_month = 10`,
    );
    expect(trades).toHaveLength(200);
    expect(bars.length).toBeGreaterThan(300);
    const within = (days: number, values: number[]) =>
      values.every((ttl) => ttl > days * 86_400 - 3_600 && ttl <= days * 86_400);
    expect(within(30, trades)).toBe(true);
    expect(within(90, bars)).toBe(true);
  });

  test("a late trade for a final minute gives rev + 1 through the API, equal to the recomputed bar", async () => {
    const goldenTrades = await loadGoldenTrades();
    const target = (await loadGoldenBars()).filter((bar) => bar.symbol === "AIG")[100]!;
    const minute = goldenTrades.filter(
      (trade) =>
        trade.symbol === "AIG" && trade.timestamp >= target.t && trade.timestamp < target.t + MINUTE_MS,
    );
    const taken = new Set(minute.map((trade) => trade.timestamp));
    let t = target.t + 30_000;
    while (taken.has(t)) t++;
    const lateRaw = { s: "AIG", p: target.h + 1, t, v: 700, c: ["1"] };
    const file = join(dir, "late.ndjson");
    await Bun.write(file, `${JSON.stringify({ type: "trade", data: [lateRaw] })}\n`);
    const lateRun = await runReplay(storeEnv(), file);
    expect(lateRun.code).toBe(0);

    const range = { from: target.t, to: target.t + MINUTE_MS };
    const [bar] = await apiBars(api.url, "AIG", range);
    const late = { price: lateRaw.p, volume: lateRaw.v, timestamp: lateRaw.t, seq: 0 };
    const recomputed = toBar(accumulateTrades([...minute, late]), {
      symbol: "AIG",
      t: target.t,
      T: target.t + MINUTE_MS,
      final: true,
      rev: 1,
      updatedAt: 0,
    });
    expect(bar).toMatchObject({ t: target.t, final: true, rev: 1, n: target.n + 1, h: lateRaw.p });
    expect(barListDifferences([bar!], [recomputed], ["t", "T", "final", "rev"])).toEqual([]);
    expect(await apiTrades(api.url, "AIG", range, 1_000)).toHaveLength(target.n + 1);
  });
});

describe("a range over several days, through the API on Cassandra", () => {
  test("returns the trades of every day partition, in order, in both directions and across pages", async () => {
    const start = Date.UTC(2024, 11, 29, 22);
    // One trade every 5 hours: 29 trades over 7 UTC days, across a month and a year end.
    const data = Array.from({ length: 29 }, (_, k) => ({
      s: "MDAY",
      p: 100 + k,
      t: start + k * 5 * 3_600_000,
      v: 10,
      c: ["1"],
    }));
    const file = join(dir, "days.ndjson");
    await Bun.write(file, `${JSON.stringify({ type: "trade", data: data.toReversed() })}\n`);
    expect((await runReplay(storeEnv(), file)).code).toBe(0);
    expect(new Set(data.map((trade) => new Date(trade.t).toISOString().slice(0, 10))).size).toBe(7);

    const range = { from: start, to: start + 7 * 86_400_000 };
    const asc = await apiTrades(api.url, "MDAY", range, 4);
    expect(asc.map((trade) => [trade.t, trade.p])).toEqual(data.map((trade) => [trade.t, trade.p]));
    const desc = await apiTrades(api.url, "MDAY", range, 5, "desc");
    expect(desc).toEqual(asc.toReversed());
  });
});
