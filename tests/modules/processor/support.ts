import { type BarAccumulator, MINUTE_MS, toBar, windowStart } from "../../../src/modules/bars/index.ts";
import type { Bar, ProcessedMessage, Trade } from "../../../src/modules/contracts/index.ts";
import { PartitionEngine, type ProcessorOptions } from "../../../src/modules/processor/index.ts";
import { configSchema } from "../../../src/runtime/config/index.ts";
import { type BarValues, barDifferences } from "../../support/golden.ts";

/** The processor options of a default configuration, with overrides. */
export const processorOptions = (overrides: Partial<ProcessorOptions> = {}): ProcessorOptions => ({
  ...configSchema.shape.processor.parse({}),
  ...overrides,
});

export const trade = (fields: Partial<Trade> & Pick<Trade, "timestamp" | "seq">): Trade => ({
  id: `t${fields.seq}`,
  symbol: "AAA",
  price: 100,
  volume: 1,
  conditions: [],
  processed_at: 0,
  source: "test",
  ...fields,
});

/** Feeds `trades` at offsets 0..n-1 with a constant clock, then ends the input; returns every message. */
export const runEngine = (trades: readonly Trade[], options = processorOptions()): ProcessedMessage[] => {
  const engine = new PartitionEngine(options);
  const out: ProcessedMessage[] = [];
  trades.forEach((t, offset) => {
    engine.ingest(t, offset, 0, out);
  });
  engine.endOfInput("test", 0, out);
  return out;
};

export const finalBars = (messages: readonly ProcessedMessage[]): Bar[] =>
  messages
    .flatMap((m) => (m.kind === "bar" && m.bar.final ? [m.bar] : []))
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.t - b.t);

export const barKey = (bar: { symbol: string; t: number }) => `${bar.symbol}@${bar.t}`;

/** Trades grouped by (symbol, window of `size` ms). */
export const groupByWindow = (trades: readonly Trade[], size = MINUTE_MS) => {
  const groups = new Map<string, Trade[]>();
  for (const t of trades) {
    const key = barKey({ symbol: t.symbol, t: windowStart(t.timestamp, size) });
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  return groups;
};

/** A bar by the book: sort, sum, two-pass variance. */
export const naiveBar = (trades: readonly Trade[]): BarValues => {
  const sorted = [...trades].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  const prices = sorted.map((t) => t.price);
  const n = prices.length;
  const v = sorted.reduce((sum, t) => sum + t.volume, 0);
  const mean = prices.reduce((sum, p) => sum + p, 0) / n;
  const pv = sorted.reduce((sum, t) => sum + t.price * t.volume, 0);
  return {
    o: prices[0]!,
    h: Math.max(...prices),
    l: Math.min(...prices),
    c: prices[n - 1]!,
    v,
    n,
    vw: v > 0 ? pv / v : null,
    volatility: n < 2 ? null : Math.sqrt(prices.reduce((sum, p) => sum + (p - mean) ** 2, 0) / (n - 1)),
  };
};

/** The values `toBar` gives an accumulator (what the processor emits for it). */
export const valuesOf = (acc: BarAccumulator): BarValues =>
  toBar(acc, { symbol: "", t: 0, T: 0, final: true, rev: 0, updatedAt: 0 });

/** `barDifferences` for bars over the generated tapes: their fractional volumes sum in any order. */
export const sameBar = (actual: BarValues, expected: BarValues) =>
  barDifferences(actual, expected, { closeVolume: true });
