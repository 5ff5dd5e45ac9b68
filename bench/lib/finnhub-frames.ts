import { createRandom } from "../../src/modules/simulator/random.ts";

export interface FrameOptions {
  /** Trades in all. */
  trades: number;
  symbols: number;
  /** Trades per second of event time across all symbols. */
  eventRate: number;
  /** Trades are stamped up to this many ms before the tape's clock (out of order within the lateness). */
  jitterMs: number;
  seed: number;
  /** Event time of the first trade. */
  start?: number;
  /** Most trades per frame (default 40); each frame gets 1 to this many. */
  maxPerFrame?: number;
}

type Kind = "stock" | "crypto" | "fx";

/**
 * Finnhub-shaped `trade` frames like the live feed sends: several symbols per frame, 1 to `maxPerFrame`
 * trades, stocks with integer volumes and condition codes, crypto with fractional volumes, FX price
 * updates with volume 0 and `c: null`.
 */
export const finnhubFrames = (options: FrameOptions): string[] => {
  const random = createRandom(options.seed);
  const symbols = Array.from({ length: options.symbols }, (_, i) => {
    const kind: Kind = i % 10 === 8 ? "crypto" : i % 10 === 9 ? "fx" : "stock";
    const name = kind === "crypto" ? `BINANCE:C${i}USDT` : kind === "fx" ? `OANDA:F${i}_USD` : `S${i}`;
    return { name, kind, price: kind === "fx" ? 1.1 : 20 + random() * 500 };
  });
  const frames: string[] = [];
  let clock = options.start ?? Date.UTC(2024, 0, 8, 14, 30);
  const step = 1_000 / options.eventRate;
  const maxPerFrame = options.maxPerFrame ?? 40;
  for (let made = 0; made < options.trades; ) {
    const size = Math.min(options.trades - made, 1 + Math.floor(random() * maxPerFrame));
    const data = [];
    for (let i = 0; i < size; i++) {
      const symbol = symbols[Math.floor(random() * symbols.length)]!;
      symbol.price *= 1 + (random() - 0.5) * 0.0004;
      clock += step;
      const t = Math.floor(clock - random() * options.jitterMs);
      if (symbol.kind === "stock") {
        const p = Math.round(symbol.price * 100) / 100;
        data.push({
          s: symbol.name,
          p,
          t,
          v: 1 + Math.floor(random() * 500),
          c: random() < 0.7 ? ["1"] : ["1", "12"],
        });
      } else if (symbol.kind === "crypto") {
        data.push({ s: symbol.name, p: Math.round(symbol.price * 100) / 100, t, v: random() * 2, c: null });
      } else {
        data.push({ s: symbol.name, p: Math.round(symbol.price * 1e5) / 1e5, t, v: 0, c: null });
      }
    }
    frames.push(JSON.stringify({ type: "trade", data }));
    made += size;
  }
  return frames;
};
