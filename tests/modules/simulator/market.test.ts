import { expect, test } from "bun:test";
import { Market } from "../../../src/modules/simulator/market.ts";

const walk = (seed: number, symbol: string, n = 200) => {
  const market = new Market(seed);
  return Array.from({ length: n }, (_, i) => market.trade(symbol, 1_700_000_000_000 + i));
};

test("prices follow a seeded random walk: same seed, same path", () => {
  expect(walk(7, "AAPL")).toEqual(walk(7, "AAPL"));
  expect(walk(8, "AAPL").map((t) => t.p)).not.toEqual(walk(7, "AAPL").map((t) => t.p));
  const prices = walk(7, "AAPL").map((t) => t.p);
  expect(new Set(prices).size).toBeGreaterThan(10);
  expect(prices.every((p) => p > 0 && Number.isFinite(p))).toBe(true);
});

test("volumes follow the venue: lots for stocks, fractions for crypto, zero for FX quotes", () => {
  expect(walk(1, "AAPL").every((t) => Number.isInteger(t.v) && t.v > 0 && t.c !== null)).toBe(true);
  expect(walk(1, "BINANCE:BTCUSDT").some((t) => !Number.isInteger(t.v))).toBe(true);
  expect(walk(1, "OANDA:EUR_USD").every((t) => t.v === 0 && t.p < 3)).toBe(true);
});

test("trades of a symbol never repeat each other by accident within a millisecond", () => {
  // An identical one-trade frame is what ingest suppresses as a re-sent frame (DESIGN section 3), so an
  // accidental repeat would make the simulator's count disagree with what a correct pipeline stores.
  const market = new Market(3);
  for (const symbol of ["OANDA:EUR_USD", "AAPL", "BINANCE:BTCUSDT"]) {
    const trades = Array.from({ length: 2_000 }, () => market.trade(symbol, 1_700_000_000_000));
    const contents = new Set(trades.map(({ p, v, c }) => JSON.stringify([p, v, c])));
    expect(contents.size).toBe(trades.length);
  }
});
