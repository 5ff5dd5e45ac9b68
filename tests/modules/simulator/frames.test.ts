import { expect, test } from "bun:test";
import { decodeFinnhubFrame } from "../../../src/modules/ingest/index.ts";
import { buildFrames } from "../../../src/modules/simulator/frames.ts";
import type { WireTrade } from "../../../src/modules/simulator/market.ts";
import { createRandom } from "../../../src/modules/simulator/random.ts";

const trades: WireTrade[] = Array.from({ length: 500 }, (_, i) => ({
  s: ["AAPL", "MSFT", "IBM"][i % 3]!,
  p: 100 + i / 100,
  t: 1_700_000_000_000 + i,
  v: i + 1,
  c: null,
}));
const clean = { duplicateFrameRatio: 0, malformedRatio: 0 };
const decode = (text: string) => decodeFinnhubFrame(text, { source: "t", now: 0, seq: 0 });

test("cuts trades into frames of 1 to N trades, losing none and keeping order", () => {
  const frames = buildFrames(trades, 8, clean, createRandom(1)).map((text) => JSON.parse(text));
  expect(frames.flatMap((frame) => frame.data)).toEqual(trades);
  const sizes = frames.map((frame) => frame.data.length);
  expect(Math.min(...sizes)).toBe(1);
  expect(Math.max(...sizes)).toBe(8);
});

test("never splits an exact repeat from its original, which would make two identical frames", () => {
  const repeated = trades.flatMap((trade) => [trade, trade]);
  const frames = buildFrames(repeated, 3, clean, createRandom(2));
  expect(new Set(frames).size).toBe(frames.length);
});

test("a duplicated frame is sent twice in a row", () => {
  const frames = buildFrames(trades, 8, { duplicateFrameRatio: 1, malformedRatio: 0 }, createRandom(3));
  expect(frames.length % 2).toBe(0);
  for (let i = 0; i < frames.length; i += 2) expect(frames[i]).toBe(frames[i + 1]!);
});

test("a malformed frame either does not parse or carries one invalid trade among valid ones", () => {
  const frames = buildFrames(trades, 8, { duplicateFrameRatio: 0, malformedRatio: 1 }, createRandom(4));
  const decoded = frames.map(decode);
  expect(decoded.every((frame) => frame.rejections.length === 1)).toBe(true);
  const reasons = new Set(decoded.flatMap((frame) => frame.rejections.map((r) => r.reason)));
  for (const reason of [
    "not_json",
    "symbol_invalid",
    "price_invalid",
    "timestamp_invalid",
    "volume_invalid",
    "conditions_invalid",
  ]) {
    expect(reasons.has(reason as never)).toBe(true);
  }
  expect(decoded.some((frame) => frame.trades.length > 0 && frame.rejections[0]!.index >= 0)).toBe(true);
});
