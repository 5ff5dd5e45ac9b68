import { expect, test } from "bun:test";
import { marketOf } from "../../../src/modules/ingest/markets.ts";

test("a plain ticker follows the US equity calendar", () => {
  expect(marketOf("AAPL")).toBe("us_equity");
  expect(marketOf("BRK.B")).toBe("us_equity");
});

test("crypto and FX venues are recognised by their prefix, whatever its case", () => {
  expect(marketOf("BINANCE:BTCUSDT")).toBe("crypto");
  expect(marketOf("coinbase:ETH-USD")).toBe("crypto");
  expect(marketOf("OANDA:EUR_USD")).toBe("fx");
  expect(marketOf("FOREX.COM:GBPUSD")).toBe("fx");
});

test("an unknown venue has no calendar", () => {
  expect(marketOf("LSE:VOD")).toBe("unknown");
});
