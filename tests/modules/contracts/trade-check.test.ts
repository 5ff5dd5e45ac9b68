import { expect, test } from "bun:test";
import fc from "fast-check";
import { checkTrade, tradeSchema } from "../../../src/modules/contracts/index.ts";

const valid = {
  id: "f1:0",
  symbol: "AAPL",
  price: 189.5,
  timestamp: 1_700_000_000_000,
  volume: 10,
  conditions: ["1"],
  processed_at: 1_700_000_000_123,
  source: "finnhub",
  seq: 7,
};

const oddValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0, "", "x", null, [], ["a", 1]),
  fc.double(),
  fc.integer(),
);

test("checkTrade accepts exactly what tradeSchema accepts", () => {
  const candidate = fc.oneof(
    oddValue,
    fc.record({ field: fc.constantFrom(...Object.keys(valid)), value: oddValue }).map(({ field, value }) => ({
      ...valid,
      [field]: value,
    })),
    fc.constantFrom(...Object.keys(valid)).map((field) => {
      const { [field as keyof typeof valid]: _, ...rest } = valid;
      return rest;
    }),
    fc.constant({ ...valid, extra: 1 }),
  );
  fc.assert(
    fc.property(candidate, (value) => {
      expect(checkTrade(value) === null).toBe(tradeSchema.safeParse(value).success);
    }),
    { numRuns: 5_000 },
  );
  expect(checkTrade(valid)).toBeNull();
});
