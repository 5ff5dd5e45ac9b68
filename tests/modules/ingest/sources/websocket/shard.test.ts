import { expect, test } from "bun:test";
import { shardSymbols } from "../../../../../src/modules/ingest/sources/websocket/shard.ts";

const symbols = ["A", "B", "C", "D", "E"];

test("several keys shard the symbols across connections, each within the per-connection limit", () => {
  const shards = shardSymbols(symbols, ["k1", "k2"], 3, "FINNHUB_API_KEY");
  expect(shards.map((s) => [s.index, s.keyNumber, s.token, s.symbols])).toEqual([
    [0, 1, "k1", ["A", "C", "E"]],
    [1, 2, "k2", ["B", "D"]],
  ]);
});

test("duplicates are subscribed once, and no connection is opened without symbols", () => {
  const shards = shardSymbols(["A", "A"], ["k1", "k2", "k3"], 50, "FINNHUB_API_KEY");
  expect(shards.map((s) => s.symbols)).toEqual([["A"]]);
});

test("too few keys for the symbols is a configuration error that never shows a key", () => {
  const attempt = () => shardSymbols(symbols, ["secret-key"], 2, "FINNHUB_API_KEY");
  expect(attempt).toThrow("5 symbols need 3 API keys at 2 symbols per connection");
  try {
    attempt();
  } catch (error) {
    expect(String((error as Error).message)).not.toContain("secret-key");
    expect((error as { code?: string }).code).toBe("CONFIG_INVALID");
  }
});

test("no key or no symbol is a configuration error", () => {
  expect(() => shardSymbols(symbols, [], 50, "FINNHUB_API_KEY")).toThrow("FINNHUB_API_KEY is not set");
  expect(() => shardSymbols([], ["k"], 50, "FINNHUB_API_KEY")).toThrow("SYMBOLS is empty");
});
