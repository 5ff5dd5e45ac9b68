import { afterAll, beforeAll, expect, test } from "bun:test";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../../src/modules/bars/index.ts";
import type { Trade } from "../../../src/modules/contracts/index.ts";
import {
  barListDifferences,
  goldenSymbols,
  loadGoldenBars,
  loadGoldenTrades,
  type ServedBar,
} from "../../support/golden.ts";
import { type ApiFixture, barsOf, createApiFixture, minuteBarsOf } from "./support.ts";

interface BarsBody {
  results: ServedBar[];
  next_cursor: string | null;
}

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

const expectBars = (actual: readonly ServedBar[], expected: readonly ServedBar[]) => {
  expect(actual.map((bar) => bar.t)).toEqual(expected.map((bar) => bar.t));
  expect(barListDifferences(actual, expected, ["T", "final"])).toEqual([]);
};

/** Bars of `size` computed straight from the trades, without any 1-minute bar in between. */
const barsFromTrades = (symbol: string, size: number) =>
  barsOf(trades, size)
    .filter((bar) => bar.symbol === symbol)
    .sort((a, b) => a.t - b.t);

const allBars = async (query: string) => {
  const { status, body } = await fixture.json<BarsBody>(`/v1/bars/${query}&${RANGE}&limit=50000`);
  expect(status).toBe(200);
  expect(body.next_cursor).toBeNull();
  return body.results;
};

test("1-minute bars are the golden bars", async () => {
  const golden = await loadGoldenBars();
  for (const symbol of goldenSymbols) {
    const expected = golden
      .filter((bar) => bar.symbol === symbol)
      .map((bar) => ({ ...bar, T: bar.t + MINUTE_MS, final: true, rev: 0 }));
    expect(expected.length).toBeGreaterThan(100);
    expectBars(await allBars(`${symbol}?multiplier=1&timespan=minute`), expected);
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
    for (const symbol of goldenSymbols) {
      const actual = await allBars(`${symbol}?multiplier=${multiplier}&timespan=${timespan}`);
      expectBars(actual, barsFromTrades(symbol, size));
      expect(actual.reduce((sum, bar) => sum + bar.n, 0)).toBe(
        trades.filter((t) => t.symbol === symbol).length,
      );
    }
  });
}

/** Follows `next_cursor` from the first page to the last. */
const allPages = async (query: string) => {
  const pages: ServedBar[][] = [];
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
