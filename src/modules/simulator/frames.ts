import type { WireTrade } from "./market.ts";
import { between, type Random } from "./random.ts";

/** Frame-level fault switches (shares between 0 and 1). */
export interface FrameFaults {
  duplicateFrameRatio: number;
  malformedRatio: number;
}

type Corruption = (trade: WireTrade) => unknown;

/** One invalid field each, so every validation reason of a trade gets exercised. */
const corruptions: Corruption[] = [
  (trade) => ({ ...trade, s: "" }),
  (trade) => ({ ...trade, p: -trade.p }),
  (trade) => ({ ...trade, t: String(trade.t) }),
  (trade) => ({ ...trade, v: -1 }),
  (trade) => ({ ...trade, c: [1] }),
];

const tradeFrame = (data: readonly unknown[]) => JSON.stringify({ type: "trade", data });

/** Half of the malformed frames do not parse; the other half carry one invalid trade among valid ones. */
const malformed = (data: readonly WireTrade[], random: Random) => {
  if (random() < 0.5) {
    const text = tradeFrame(data);
    return text.slice(0, Math.max(1, text.length >> 1));
  }
  const mixed: unknown[] = [...data];
  const index = between(random, 0, data.length - 1);
  mixed[index] = corruptions[between(random, 0, corruptions.length - 1)]!(data[index]!);
  return tradeFrame(mixed);
};

/**
 * Cuts trades into frames of 1 to `maxPerFrame` trades (several symbols per frame, as Finnhub batches them)
 * and applies the frame faults: a duplicated frame is sent twice in a row.
 */
export const buildFrames = (
  trades: readonly WireTrade[],
  maxPerFrame: number,
  faults: FrameFaults,
  random: Random,
): string[] => {
  const frames: string[] = [];
  for (let start = 0; start < trades.length; ) {
    let end = Math.min(trades.length, start + between(random, 1, maxPerFrame));
    // An exact repeat stays in its original's frame: split, the two would form identical frames, which
    // ingest must treat as a re-sent duplicate.
    while (end < trades.length && trades[end] === trades[end - 1]) end++;
    const data = trades.slice(start, end);
    const text = random() < faults.malformedRatio ? malformed(data, random) : tradeFrame(data);
    frames.push(text);
    if (random() < faults.duplicateFrameRatio) frames.push(text);
    start = end;
  }
  return frames;
};
