import { expect, test } from "bun:test";
import { streamEvents } from "../../../src/modules/api/stream/feed.ts";
import { ReplayRing } from "../../../src/modules/api/stream/ring.ts";
import { streamTradeView, tradeView } from "../../../src/modules/api/views.ts";
import { trade } from "./support.ts";

test("a stream trade is the REST view of the trade with its symbol, in that order", () => {
  const t = trade("AAA", 1_700_000_000_000, 12.5);
  expect(streamTradeView(t)).toEqual({ symbol: "AAA", ...tradeView(t) });
  expect(Object.keys(streamTradeView(t))).toEqual(["symbol", ...Object.keys(tradeView(t))]);
  const message = {
    key: "AAA",
    value: { kind: "trade" as const, trade: t, outlier: false },
    partition: 0,
    offset: 0,
    timestamp: 0,
  };
  expect(streamEvents([message])).toEqual([{ type: "trade", symbol: "AAA", data: streamTradeView(t) }]);
});

test("a full ring reuses its entries and still tells which symbols lost events", () => {
  const ring = new ReplayRing(2, "abcd0123");
  const event = (symbol: string) => ({ type: "trade" as const, symbol, data: { symbol } });
  ring.push(1, event("A"));
  ring.push(2, event("B"));
  expect(ring.holdsAfter(0, ["A", "B"])).toBe(true);
  ring.push(3, event("C"));
  expect(ring.holdsAfter(0, ["A"])).toBe(false);
  expect(ring.holdsAfter(0, ["B"])).toBe(true);
  expect(ring.framesAfter(1, 3, new Set(["B", "C"]))).toBe(
    'id: abcd0123-2\nevent: trade\ndata: {"symbol":"B"}\n\nid: abcd0123-3\nevent: trade\ndata: {"symbol":"C"}\n\n',
  );
});
