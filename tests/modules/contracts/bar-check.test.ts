import { expect, test } from "bun:test";
import fc from "fast-check";
import { barSchema, isBar } from "../../../src/modules/contracts/index.ts";
import { candidatesAround } from "./support.ts";

const valid = {
  symbol: "AAPL",
  t: 1_700_000_040_000,
  T: 1_700_000_100_000,
  o: 189.5,
  h: 190,
  l: 189,
  c: 189.75,
  v: 1_200,
  n: 7,
  vw: 189.6,
  volatility: 0.3,
  mean: 189.55,
  m2: 0.54,
  sum_pv: 227_520,
  final: false,
  rev: 0,
  updated_at: 1_700_000_061_000,
};

test("isBar accepts exactly what barSchema accepts", () => {
  const candidate = fc.oneof(
    candidatesAround(valid),
    fc.constant({ ...valid, vw: null, volatility: null, final: true, rev: 3 }),
  );
  fc.assert(
    fc.property(candidate, (value) => {
      expect(isBar(value)).toBe(barSchema.safeParse(value).success);
    }),
    { numRuns: 5_000 },
  );
  expect(isBar(valid)).toBe(true);
});
