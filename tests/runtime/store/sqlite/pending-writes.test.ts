import { expect, test } from "bun:test";
import type { TradeToStore } from "../../../../src/runtime/store/index.ts";
import { type PendingWrite, sparseWrites } from "../../../../src/runtime/store/sqlite/pending-writes.ts";

const trades = (count: number, symbols: number): PendingWrite => ({
  kind: "trades",
  rows: Array.from({ length: count }, (_, i) => ({ symbol: `SYM${i % symbols}` }) as TradeToStore),
});

test("writes over thousands of symbols with a row or two each are sparse", () => {
  expect(sparseWrites([trades(3_000, 5_000), trades(3_000, 5_000)])).toBe(true);
});

test("writes with several rows per symbol are not", () => {
  expect(sparseWrites([trades(25_000, 5_000)])).toBe(false);
  expect(sparseWrites([trades(5_000, 50)])).toBe(false);
});

test("writes touching a few hundred symbols are never sparse, however few their rows", () => {
  expect(sparseWrites([trades(300, 5_000)])).toBe(false);
});
