import { accumulateTrades, MINUTE_MS, windowStart } from "../../../src/modules/bars/index.ts";
import type { Bar, ProcessedMessage, Trade } from "../../../src/modules/contracts/index.ts";
import { PartitionEngine, type ProcessorOptions } from "../../../src/modules/processor/index.ts";
import { configSchema } from "../../../src/runtime/config/index.ts";

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

export interface NaiveBar {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number | null;
  volatility: number | null;
}

/** A bar by the book: sort, sum, two-pass variance. */
export const naiveBar = (trades: readonly Trade[]): NaiveBar => {
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

/** The bar of `trades` through the project's accumulator (what a direct computation gives). */
export const directBar = (trades: readonly Trade[]): NaiveBar => {
  const acc = accumulateTrades(trades);
  return {
    o: acc.open,
    h: acc.high,
    l: acc.low,
    c: acc.close,
    v: acc.volume,
    n: acc.n,
    vw: acc.vwap,
    volatility: acc.volatility,
  };
};

/** Equal within `relative` of the larger magnitude, or within `absolute`; nulls must match. */
export const close = (a: number | null, b: number | null, relative = 1e-9, absolute = 1e-12) => {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.max(absolute, relative * Math.max(Math.abs(a), Math.abs(b)));
};

/** The fields of two bars that differ beyond tolerance (o, h, l, c, n exact). */
export const barDifferences = (actual: NaiveBar, expected: NaiveBar): string[] => {
  const diffs: string[] = [];
  for (const field of ["o", "h", "l", "c", "n"] as const) {
    if (actual[field] !== expected[field]) diffs.push(`${field}: ${actual[field]} != ${expected[field]}`);
  }
  for (const field of ["v", "vw", "volatility"] as const) {
    if (!close(actual[field], expected[field]))
      diffs.push(`${field}: ${actual[field]} != ${expected[field]}`);
  }
  return diffs;
};
