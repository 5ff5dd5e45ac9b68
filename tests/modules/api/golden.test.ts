import { afterAll, beforeAll, expect, test } from "bun:test";
import { accumulateTrades, DAY_MS, HOUR_MS, MINUTE_MS } from "../../../src/modules/bars/index.ts";
import type { Trade } from "../../../src/modules/contracts/index.ts";
import { closeTo, loadGoldenBars, loadGoldenTrades } from "../../support/golden.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, tradesByWindow } from "./support.ts";

interface ApiBar {
  t: number;
  T: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number | null;
  volatility: number | null;
  final: boolean;
  rev: number;
}

interface BarsBody {
  results: ApiBar[];
  next_cursor: string | null;
}

type Expected = Omit<ApiBar, "T" | "final" | "rev">;

let fixture: ApiFixture;
let trades: Trade[];
const RANGE = "from=2013-10-07&to=2013-10-09";

beforeAll(async () => {
  fixture = createApiFixture();
  trades = await loadGoldenTrades();
  await fixture.store.writeTrades(trades);
  await fixture.store.writeBars(minuteBarsOf(trades));
});
afterAll(() => fixture.cleanup());

const expectBars = (actual: ApiBar[], expected: Expected[], size: number) => {
  expect(actual.map((bar) => bar.t)).toEqual(expected.map((bar) => bar.t));
  actual.forEach((bar, index) => {
    const want = expected[index]!;
    expect({
      o: bar.o,
      h: bar.h,
      l: bar.l,
      c: bar.c,
      v: bar.v,
      n: bar.n,
      T: bar.T,
      final: bar.final,
    }).toEqual({
      o: want.o,
      h: want.h,
      l: want.l,
      c: want.c,
      v: want.v,
      n: want.n,
      T: want.t + size,
      final: true,
    });
    if (!closeTo(bar.vw, want.vw) || !closeTo(bar.volatility, want.volatility)) {
      throw new Error(
        `bar ${bar.t}: vw ${bar.vw}/${want.vw}, volatility ${bar.volatility}/${want.volatility}`,
      );
    }
  });
};

/** Bars of `size` computed straight from the trades, without any 1-minute bar in between. */
const barsFromTrades = (symbol: string, size: number): Expected[] =>
  [...(tradesByWindow(trades, size).get(symbol) ?? [])]
    .sort(([a], [b]) => a - b)
    .map(([t, group]) => {
      const acc = accumulateTrades(group);
      return {
        t,
        o: acc.open,
        h: acc.high,
        l: acc.low,
        c: acc.close,
        v: acc.volume,
        n: acc.n,
        vw: acc.vwap,
        volatility: acc.volatility,
      };
    });

const allBars = async (query: string) => {
  const { status, body } = await fixture.json<BarsBody>(`/v1/bars/${query}&${RANGE}&limit=50000`);
  expect(status).toBe(200);
  expect(body.next_cursor).toBeNull();
  return body.results;
};

test("1-minute bars are the golden bars", async () => {
  const golden = await loadGoldenBars();
  for (const symbol of ["AIG", "IBM"]) {
    const expected = golden.filter((bar) => bar.symbol === symbol);
    expect(expected.length).toBeGreaterThan(100);
    expectBars(await allBars(`${symbol}?multiplier=1&timespan=minute`), expected, MINUTE_MS);
  }
});

const rollups: [number, "minute" | "hour" | "day", number][] = [
  [5, "minute", 5 * MINUTE_MS],
  [15, "minute", 15 * MINUTE_MS],
  [1, "hour", HOUR_MS],
  [4, "hour", 4 * HOUR_MS],
  [1, "day", DAY_MS],
];

for (const [multiplier, timespan, size] of rollups) {
  test(`${multiplier} ${timespan} bars rolled up from 1-minute bars equal bars computed from the trades`, async () => {
    for (const symbol of ["AIG", "IBM"]) {
      const actual = await allBars(`${symbol}?multiplier=${multiplier}&timespan=${timespan}`);
      expectBars(actual, barsFromTrades(symbol, size), size);
      expect(actual.reduce((sum, bar) => sum + bar.n, 0)).toBe(
        trades.filter((t) => t.symbol === symbol).length,
      );
    }
  });
}

/** Follows `next_cursor` from the first page to the last. */
const allPages = async (query: string) => {
  const pages: ApiBar[][] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor === null ? "" : `&cursor=${cursor}`;
    const { status, body } = await fixture.json<BarsBody>(`/v1/bars/${query}&${RANGE}${suffix}`);
    expect(status).toBe(200);
    pages.push(body.results);
    cursor = body.next_cursor;
  } while (cursor !== null && pages.length < 1_000);
  return pages;
};

for (const [query, limit] of [
  ["IBM?multiplier=1&timespan=minute", 97],
  ["IBM?multiplier=5&timespan=minute", 7],
  ["AIG?multiplier=1&timespan=hour&fill=null", 3],
] as const) {
  test(`paging ${query} by ${limit} in both directions covers every window once`, async () => {
    const whole = await allBars(query);
    const ascending = await allPages(`${query}&limit=${limit}&sort=asc`);
    const descending = await allPages(`${query}&limit=${limit}&sort=desc`);
    for (const pages of [ascending, descending]) {
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
      expect(pages.at(-1)!.length).toBeLessThanOrEqual(limit);
    }
    expect(ascending.flat()).toEqual(whole);
    expect(descending.flat()).toEqual(whole.toReversed());
  });
}

interface TradesBody {
  symbol: string;
  results: { id: string; t: number; p: number; v: number; c: string[]; processed_at: number }[];
  next_cursor: string | null;
}

test("paging the trades of a day in both directions covers every trade once, ties included", async () => {
  const ibm = trades.filter((t) => t.symbol === "IBM");
  const sameMillisecond = ibm.filter((t, i) => i > 0 && t.timestamp === ibm[i - 1]!.timestamp).length;
  expect(sameMillisecond).toBeGreaterThan(1_000);
  const walk = async (sort: "asc" | "desc") => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor === null ? "" : `&cursor=${cursor}`;
      const { status, body } = await fixture.json<TradesBody>(
        `/v1/trades/IBM?${RANGE}&limit=997&sort=${sort}${suffix}`,
      );
      expect(status).toBe(200);
      expect(body.results.length).toBeLessThanOrEqual(997);
      ids.push(...body.results.map((t) => t.id));
      const times = body.results.map((t) => t.t);
      expect(times).toEqual(times.toSorted((a, b) => (sort === "asc" ? a - b : b - a)));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 1_000);
    return ids;
  };
  const ascending = await walk("asc");
  const descending = await walk("desc");
  expect(ascending.length).toBe(ibm.length);
  expect(new Set(ascending).size).toBe(ibm.length);
  expect(ascending.toSorted()).toEqual(ibm.map((t) => t.id).toSorted());
  expect(descending).toEqual(ascending.toReversed());
});
