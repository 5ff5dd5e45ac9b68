import { expect, test } from "bun:test";
import { parseCsvTrade } from "../../../src/modules/replay/index.ts";

test("parses symbol,timestamp_ms,price,volume with optional conditions split by | or ;", () => {
  expect(parseCsvTrade("AAPL,1700000000000,189.5,100")).toEqual({
    s: "AAPL",
    t: 1_700_000_000_000,
    p: 189.5,
    v: 100,
    c: null,
  });
  expect(parseCsvTrade("AAPL,1,2,3,1|12")?.c).toEqual(["1", "12"]);
  expect(parseCsvTrade("AAPL,1,2,3, 1 ; 12 ")?.c).toEqual(["1", "12"]);
  expect(parseCsvTrade("AAPL,1,2,3,")?.c).toBeNull();
});

test("a wrong column count is no trade; bad values are left for validation to name", () => {
  expect(parseCsvTrade("AAPL,1,2")).toBeUndefined();
  expect(parseCsvTrade("AAPL,1,2,3,4,5")).toBeUndefined();
  const empty = parseCsvTrade("AAPL,1,abc,")!;
  expect(Number.isNaN(empty.p)).toBe(true);
  expect(Number.isNaN(empty.v)).toBe(true);
});
