import { expect, test } from "bun:test";
import fc from "fast-check";
import {
  checkFinnhubTrade,
  finnhubTradeSchema,
  type RejectionReason,
} from "../../../src/modules/contracts/index.ts";
import { candidatesAround, oddValue } from "./support.ts";

const valid = { s: "AAPL", p: 189.5, t: 1_700_000_000_000, v: 100, c: ["1"] };

const candidate = fc.oneof(
  candidatesAround(valid),
  fc.record({ s: oddValue, p: oddValue, t: oddValue, v: oddValue, c: oddValue }, { requiredKeys: [] }),
);

const fields: Record<string, RejectionReason> = {
  s: "symbol_invalid",
  p: "price_invalid",
  t: "timestamp_invalid",
  v: "volume_invalid",
  c: "conditions_invalid",
};

/** The reason the schema implies: its first issue names the field (fields are checked in the same order). */
const schemaReason = (value: unknown): RejectionReason | null => {
  const result = finnhubTradeSchema.safeParse(value);
  if (result.success) return null;
  const field = result.error.issues[0]?.path[0];
  return typeof field === "string" ? (fields[field] ?? "trade_not_object") : "trade_not_object";
};

test("the hot-path checkFinnhubTrade agrees with finnhubTradeSchema, reason included", () => {
  fc.assert(
    fc.property(candidate, (value) => {
      expect(checkFinnhubTrade(value)).toBe(schemaReason(value));
    }),
    { numRuns: 10_000 },
  );
  expect(checkFinnhubTrade(valid)).toBeNull();
});

test("a symbol is one the API can be asked for: tickers, pairs and indices, not quotes or spaces inside", () => {
  for (const s of ["AAPL", "BRK.B", "BINANCE:BTCUSDT", "OANDA:EUR_USD", "^GSPC", " MSFT "]) {
    expect(checkFinnhubTrade({ ...valid, s })).toBeNull();
  }
  for (const s of ['"AIG"', "A B", "", "   ", "-X", "x".repeat(65)]) {
    expect(checkFinnhubTrade({ ...valid, s })).toBe("symbol_invalid");
  }
});
