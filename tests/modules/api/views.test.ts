import { expect, test } from "bun:test";
import { streamEvents } from "../../../src/modules/api/stream/feed.ts";
import { eventFrame } from "../../../src/modules/api/stream/frames.ts";
import { ReplayRing } from "../../../src/modules/api/stream/ring.ts";
import { streamTradeView, tradeView } from "../../../src/modules/api/views.ts";
import { trade, tradeEvent } from "./support.ts";

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
  const [event] = streamEvents([message]);
  expect(event).toBe(message.value);
  expect(eventFrame("abcd0123-1", event!)).toBe(
    `id: abcd0123-1\nevent: trade\ndata: ${JSON.stringify(streamTradeView(t))}\n\n`,
  );
});

test("a full ring reuses its entries and still tells which symbols lost events", () => {
  const ring = new ReplayRing(2, "abcd0123");
  const [a, b, c] = ["A", "B", "C"].map((symbol) => tradeEvent(trade(symbol, 1_700_000_000_000, 1)));
  ring.push(1, a!);
  ring.push(2, b!);
  expect(ring.holdsAfter(0, ["A", "B"])).toBe(true);
  ring.push(3, c!);
  expect(ring.holdsAfter(0, ["A"])).toBe(false);
  expect(ring.holdsAfter(0, ["B"])).toBe(true);
  expect(ring.framesAfter(1, 3, new Set(["B", "C"]))).toBe(
    eventFrame("abcd0123-2", b!) + eventFrame("abcd0123-3", c!),
  );
});
