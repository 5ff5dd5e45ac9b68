import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Bar, Trade } from "../../../src/modules/contracts/index.ts";
import type { Page, RangeQuery, Store, StoredTrade, TradeToStore } from "../../../src/runtime/store/index.ts";

export interface StoreFixture {
  /** A migrated, empty-for-our-symbols store. */
  store: Store;
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2024-02-28T23:58:00Z: ranges from here cross two UTC days and a month. */
const BASE = Date.UTC(2024, 1, 28, 23, 58);

let symbolCounter = 0;
/** Symbols unique per test and run, so backends that share a database across tests stay independent. */
const uniqueSymbol = () => `T${Date.now().toString(36)}${(++symbolCounter).toString(36)}`.toUpperCase();

export const makeTrade = (
  symbol: string,
  seq: number,
  timestamp: number,
  overrides: Partial<Trade> = {},
): Trade => ({
  id: `${symbol}-${seq}`,
  symbol,
  price: 100 + (seq % 17) / 4,
  timestamp,
  volume: seq % 5,
  conditions: seq % 3 === 0 ? [] : ["1", `c${seq % 3}`],
  processed_at: timestamp + 3,
  source: "contract",
  seq,
  ...overrides,
});

/** A trade as the store returns it: without a flag, it is no outlier. */
export const stored = (trade: TradeToStore): StoredTrade => ({ ...trade, outlier: trade.outlier ?? false });

export const makeBar = (symbol: string, t: number, overrides: Partial<Bar> = {}): Bar => ({
  symbol,
  t,
  T: t + MINUTE,
  o: 10,
  h: 12.5,
  l: 9.25,
  c: 11,
  v: 300,
  n: 3,
  vw: 10.75,
  volatility: 1.6393596310755,
  mean: 10.5,
  m2: 5.375,
  sum_pv: 3225,
  final: false,
  rev: 0,
  updated_at: t + MINUTE + 1,
  ...overrides,
});

/** Every page of a query, following cursors; fails on a runaway loop. */
const allPages = async <T>(read: (query: RangeQuery) => Promise<Page<T>>, query: RangeQuery) => {
  const rows: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page: Page<T> = await read({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    expect(page.results.length).toBeLessThanOrEqual(query.limit);
    rows.push(...page.results);
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
  throw new Error("cursor never ended");
};

/** The behaviour every Store backend must show; run by each backend's test file. */
export const storeContract = (name: string, setup: () => Promise<StoreFixture>) => {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    const everything = (symbol: string, sort: "asc" | "desc", limit = 100_000): RangeQuery => ({
      symbol,
      from: 0,
      to: BASE + 10 * DAY,
      limit,
      sort,
    });
    const ids = (trades: readonly Trade[]) => trades.map((trade) => trade.id);

    test("stores trades with every field intact, and rewriting them is a no-op", async () => {
      const symbol = uniqueSymbol();
      const trades = Array.from({ length: 40 }, (_, seq) => makeTrade(symbol, seq, BASE + seq * 250));
      await store.writeTrades(trades);
      await store.writeTrades(trades);
      await store.writeTrades(trades.slice(10, 30));
      const { results, nextCursor } = await store.queryTrades(everything(symbol, "asc"));
      expect(results).toEqual(trades.map(stored));
      expect(nextCursor).toBeNull();
    });

    test("stores the outlier flag; a rewrite without it (a replay judging afresh) keeps it", async () => {
      const symbol = uniqueSymbol();
      const flags = [true, false, undefined, true, undefined, false];
      const trades = flags.map((outlier, seq): TradeToStore => {
        const trade = makeTrade(symbol, seq, BASE + seq * 1_000);
        return outlier === undefined ? trade : { ...trade, outlier };
      });
      await store.writeTrades(trades);
      await store.writeTrades(trades.map(({ outlier: _, ...trade }) => trade));
      const expected = trades.map(stored);
      expect(expected.map((trade) => trade.outlier)).toEqual([true, false, false, true, false, false]);
      expect(await store.tradesBetween(symbol, BASE, BASE + MINUTE)).toEqual(expected);
      expect((await store.queryTrades(everything(symbol, "desc"))).results).toEqual(expected.toReversed());
    });

    test("keeps every trade sharing a millisecond, price and volume", async () => {
      const symbol = uniqueSymbol();
      const trades = Array.from({ length: 25 }, (_, seq) =>
        makeTrade(symbol, seq, BASE, { price: 50, volume: 100 }),
      );
      await store.writeTrades(trades);
      const { results } = await store.queryTrades(everything(symbol, "asc"));
      expect(results).toHaveLength(25);
      expect(new Set(ids(results))).toEqual(new Set(ids(trades)));
    });

    test("trade ranges include `from`, exclude `to` and keep symbols apart", async () => {
      const symbol = uniqueSymbol();
      const other = uniqueSymbol();
      await store.writeTrades([
        makeTrade(symbol, 1, BASE - 1),
        makeTrade(symbol, 2, BASE),
        makeTrade(symbol, 3, BASE + MINUTE - 1),
        makeTrade(symbol, 4, BASE + MINUTE),
        makeTrade(other, 5, BASE + 10),
      ]);
      for (const sort of ["asc", "desc"] as const) {
        const { results } = await store.queryTrades({
          symbol,
          from: BASE,
          to: BASE + MINUTE,
          limit: 10,
          sort,
        });
        expect(ids(results).sort()).toEqual([`${symbol}-2`, `${symbol}-3`]);
      }
      const between = await store.tradesBetween(symbol, BASE, BASE + MINUTE);
      expect(ids(between)).toEqual([`${symbol}-2`, `${symbol}-3`]);
      const unknown = await store.queryTrades(everything(uniqueSymbol(), "desc"));
      expect(unknown).toEqual({ results: [], nextCursor: null });
    });

    test("orders trades by time; desc is exactly the reverse of asc", async () => {
      const symbol = uniqueSymbol();
      const times = [5, 1, 3, 3, 3, 0, 9, 2].map((k) => BASE + k * 7 * 3_600_000);
      await store.writeTrades(times.map((time, seq) => makeTrade(symbol, seq, time)));
      const ascending = (await store.queryTrades(everything(symbol, "asc"))).results;
      const descending = (await store.queryTrades(everything(symbol, "desc"))).results;
      const stamps = ascending.map((trade) => trade.timestamp);
      expect(stamps).toEqual([...times].sort((a, b) => a - b));
      expect(descending).toEqual([...ascending].reverse());
    });

    test("cursors page through trades in both directions without gaps or duplicates", async () => {
      const symbol = uniqueSymbol();
      // Bursts of trades in one millisecond, spread over three UTC days and across a month end.
      const trades = Array.from({ length: 90 }, (_, seq) =>
        makeTrade(symbol, seq, BASE + Math.floor(seq / 6) * 4 * 3_600_000 + (seq % 2)),
      );
      await store.writeTrades(trades);
      for (const sort of ["asc", "desc"] as const) {
        const whole = (await store.queryTrades(everything(symbol, sort))).results;
        expect(whole).toHaveLength(90);
        for (const limit of [1, 4, 7, 89, 90, 91]) {
          const paged = await allPages(store.queryTrades, everything(symbol, sort, limit));
          expect(ids(paged)).toEqual(ids(whole));
        }
        const last = await store.queryTrades(everything(symbol, sort, 90));
        expect(last.nextCursor).toBeNull();
      }
    });

    test("a cursor stays inside the range it was issued for", async () => {
      const symbol = uniqueSymbol();
      await store.writeTrades(
        Array.from({ length: 30 }, (_, seq) => makeTrade(symbol, seq, BASE + seq * 1_000)),
      );
      const query = { symbol, from: BASE + 5_000, to: BASE + 20_000, limit: 4 };
      const asc = await allPages(store.queryTrades, { ...query, sort: "asc" });
      const desc = await allPages(store.queryTrades, { ...query, sort: "desc" });
      expect(asc.map((trade) => trade.seq)).toEqual(Array.from({ length: 15 }, (_, k) => k + 5));
      expect(desc).toEqual([...asc].reverse());
    });

    test("tradesBetween returns (timestamp, seq) order whatever the ids", async () => {
      const symbol = uniqueSymbol();
      const trades = [7, 3, 9, 1, 4].map((seq, k) =>
        makeTrade(symbol, seq, BASE + (k < 3 ? 0 : 10), { id: `id-${String.fromCharCode(101 - k)}` }),
      );
      await store.writeTrades(trades);
      const between = await store.tradesBetween(symbol, BASE, BASE + MINUTE);
      expect(between.map((trade) => [trade.timestamp - BASE, trade.seq])).toEqual([
        [0, 3],
        [0, 7],
        [0, 9],
        [10, 1],
        [10, 4],
      ]);
    });

    test("upserts bars exactly as given and reads them back by window", async () => {
      const symbol = uniqueSymbol();
      const first = makeBar(symbol, BASE);
      const second = makeBar(symbol, BASE + MINUTE, { vw: null, volatility: null, v: 0, n: 1, m2: 0 });
      await store.writeBars([first, second]);
      expect(await store.getBars(symbol, [BASE, BASE + MINUTE, BASE + 2 * MINUTE])).toEqual([first, second]);
      const corrected = makeBar(symbol, BASE, {
        final: true,
        rev: 2,
        n: 4,
        c: 13,
        updated_at: BASE + 9 * MINUTE,
      });
      await store.writeBars([corrected]);
      expect(await store.getBars(symbol, [BASE])).toEqual([corrected]);
      const regressed = { ...corrected, final: false, rev: 0 };
      await store.writeBars([regressed]);
      expect(await store.getBars(symbol, [BASE])).toEqual([regressed]);
      expect(await store.getBars(uniqueSymbol(), [BASE])).toEqual([]);
    });

    test("bar ranges and cursors work in both directions across days and months", async () => {
      const symbol = uniqueSymbol();
      const bars = Array.from({ length: 30 }, (_, k) => makeBar(symbol, BASE + k * 97 * MINUTE, { rev: k }));
      await store.writeBars(bars);
      const from = bars[3]!.t;
      const to = bars[27]!.t;
      const asc = await allPages(store.queryBars, { symbol, from, to, limit: 5, sort: "asc" });
      expect(asc).toEqual(bars.slice(3, 27));
      const desc = await allPages(store.queryBars, { symbol, from, to, limit: 5, sort: "desc" });
      expect(desc).toEqual(bars.slice(3, 27).reverse());
      const latest = await store.queryBars({ symbol, from: 0, to: BASE + 100 * DAY, limit: 1, sort: "desc" });
      expect(latest.results).toEqual([bars[29]!]);
      expect(latest.nextCursor).not.toBeNull();
    });

    test("symbols() lists each symbol with its latest trade and today's count from its stored bars", async () => {
      const symbol = uniqueSymbol();
      const now = Date.now();
      const startOfDay = now - (now % DAY);
      await store.writeTrades([
        makeTrade(symbol, 1, startOfDay - 1, { price: 3 }),
        makeTrade(symbol, 2, startOfDay, { price: 4 }),
        makeTrade(symbol, 3, startOfDay + 1, { price: 5 }),
      ]);
      // Today's count is the sum of n over today's 1-minute bars, provisional ones included.
      await store.writeBars([
        makeBar(symbol, startOfDay - MINUTE, { n: 100, final: true }),
        makeBar(symbol, startOfDay, { n: 1, final: true }),
        makeBar(symbol, startOfDay + DAY - MINUTE, { n: 1, final: false }),
        makeBar(symbol, startOfDay + DAY, { n: 100 }),
      ]);
      const quiet = uniqueSymbol();
      await store.writeTrades([makeTrade(quiet, 1, BASE, { price: 7 })]);
      const summaries = await store.symbols();
      expect(summaries.find((s) => s.symbol === symbol)).toEqual({
        symbol,
        lastPrice: 5,
        lastTradeAt: startOfDay + 1,
        tradesToday: 2,
      });
      expect(summaries.find((s) => s.symbol === quiet)).toEqual({
        symbol: quiet,
        lastPrice: 7,
        lastTradeAt: BASE,
        tradesToday: 0,
      });
    });

    test("rejects a cursor it did not issue", async () => {
      const query = { ...everything(uniqueSymbol(), "asc" as const), cursor: "not-a-cursor" };
      await expect(store.queryTrades(query)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(store.queryBars(query)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    test("a symbol's read version stays put without writes of it and moves with each one (or is always undefined)", async () => {
      const symbol = uniqueSymbol();
      const other = uniqueSymbol();
      const before = store.readVersion(symbol);
      expect(store.readVersion(symbol)).toBe(before);
      await store.writeTrades([makeTrade(symbol, 1, BASE)]);
      const afterTrades = store.readVersion(symbol);
      await store.writeBars([makeBar(symbol, BASE)]);
      const afterBars = store.readVersion(symbol);
      await store.writeTrades([makeTrade(other, 1, BASE)]);
      await store.writeBars([makeBar(other, BASE)]);
      expect(store.readVersion(symbol)).toBe(afterBars);
      if (before === undefined) expect([afterTrades, afterBars]).toEqual([undefined, undefined]);
      else expect(new Set([before, afterTrades, afterBars]).size).toBe(3);
    });

    test("reports healthy when it can serve", async () => {
      expect(await store.health()).toMatchObject({ ok: true });
    });
  });
};
