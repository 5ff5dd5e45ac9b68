import { expect, test } from "bun:test";
import fc from "fast-check";
import { checkTrade, tradeSchema } from "../../../src/modules/contracts/index.ts";
import { candidatesAround } from "./support.ts";

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

test("checkTrade accepts exactly what tradeSchema accepts", () => {
  fc.assert(
    fc.property(candidatesAround(valid), (value) => {
      expect(checkTrade(value) === null).toBe(tradeSchema.safeParse(value).success);
    }),
    { numRuns: 5_000 },
  );
  expect(checkTrade(valid)).toBeNull();
});
