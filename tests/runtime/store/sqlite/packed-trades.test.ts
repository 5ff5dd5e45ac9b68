import { expect, test } from "bun:test";
import fc from "fast-check";
import type { TradeToStore } from "../../../../src/runtime/store/index.ts";
import {
  emptyTradeRow,
  packTrades,
  readTrade,
  symbolOrder,
} from "../../../../src/runtime/store/sqlite/packed-trades.ts";
import { makeTrade } from "../contract.ts";

const trade: fc.Arbitrary<TradeToStore> = fc.record(
  {
    id: fc.string({ minLength: 1, unit: "binary" }),
    symbol: fc.string({ minLength: 1 }),
    price: fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
    timestamp: fc.integer({ min: -8.64e15, max: 8.64e15 }),
    volume: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
    conditions: fc.array(fc.string({ unit: "binary" }), { maxLength: 3 }),
    processed_at: fc.maxSafeNat(),
    source: fc.constantFrom("finnhub", "simulator", "replay:é/ü.ndjson"),
    seq: fc.maxSafeNat(),
    outlier: fc.boolean(),
  },
  {
    requiredKeys: [
      "id",
      "symbol",
      "price",
      "timestamp",
      "volume",
      "conditions",
      "processed_at",
      "source",
      "seq",
    ],
  },
);

test("packed trades read back as the store binds them, across several writes and any text", () => {
  fc.assert(
    fc.property(fc.array(fc.array(trade, { maxLength: 5 }), { maxLength: 4 }), (writes) => {
      const packed = packTrades(writes);
      const all = writes.flat();
      expect(packed.count).toBe(all.length);
      const row = emptyTradeRow();
      for (const [i, t] of all.entries()) {
        expect({ ...readTrade(packed, i, row) }).toEqual({
          timestamp: t.timestamp,
          seq: t.seq,
          price: t.price,
          volume: t.volume,
          processedAt: t.processed_at,
          outlier: t.outlier ? 1 : 0,
          id: t.id,
          symbol: t.symbol,
          source: t.source,
          conditions: JSON.stringify(t.conditions),
        });
      }
    }),
    { numRuns: 200 },
  );
});

test("symbolOrder lists every row once, symbols sorted, each symbol's rows in their order", () => {
  fc.assert(
    fc.property(fc.array(trade, { maxLength: 40 }), (trades) => {
      const order = [...symbolOrder(packTrades([trades]))];
      const expected = trades
        .map((t, row) => ({ symbol: t.symbol, row }))
        .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.row - b.row))
        .map(({ row }) => row);
      expect(order).toEqual(expected);
    }),
  );
});

const withConditions = (conditions: string[], seq: number): TradeToStore =>
  makeTrade("AAPL", seq, 1_700_000_000_000 + seq, { conditions });

const conditionsRead = (trades: TradeToStore[]) => {
  const packed = packTrades([trades]);
  const row = emptyTradeRow();
  return { packed, read: trades.map((_, i) => readTrade(packed, i, row).conditions) };
};

test("repeated condition lists travel once per batch and read back as their own JSON", () => {
  const lists = [
    ["1"],
    ["1", "12"],
    ["1", "24"],
    ["1"],
    ["12"],
    [],
    ["1", "12"],
    ['"', "\\"],
    ["1", "12", "24"],
  ];
  const { packed, read } = conditionsRead(lists.map((list, seq) => withConditions([...list], seq)));
  expect(read).toEqual(lists.map((list) => JSON.stringify(list)));
  expect(packed.conditions.values.toSorted()).toEqual(
    [...new Set(lists.map((list) => JSON.stringify(list)))].toSorted(),
  );
});

test("a condition list changed after packing does not change what lists equal to it pack to later", () => {
  // Codes no other test packs: the lists remembered are shared by every packing in the process.
  const list = ["changed", "a"];
  conditionsRead([withConditions(list, 0)]);
  list.push("b");
  expect(
    conditionsRead([withConditions(["changed", "a", "b"], 1), withConditions(["changed", "a"], 2)]).read,
  ).toEqual(['["changed","a","b"]', '["changed","a"]']);
});

test("more distinct condition lists than are remembered still read back exactly", () => {
  const lists = Array.from({ length: 2_500 }, (_, i) => [String(i % 7), String(i)]);
  const trades = [...lists, ...lists].map((list, seq) => withConditions([...list], seq));
  expect(conditionsRead(trades).read).toEqual(trades.map((trade) => JSON.stringify(trade.conditions)));
});
