import type { TradeToStore } from "../types.ts";

/** Numbers per trade in `PackedTrades.numbers`, in this order. */
const NUMBERS = 6;
/** Strings per trade in `PackedTrades.text`, in this order: id, conditions as JSON. */
const STRINGS = 2;

/**
 * Trades as columns for the write thread: numbers in a Float64Array (exact for every JS number), ids and
 * conditions concatenated into one string with their end offsets, and symbols and sources, which repeat,
 * once each with an index per trade. Posting this copies four buffers, one string and two short lists,
 * where JSON cost a stringify per trade here and a parse there (each thread's largest item under load).
 */
export interface PackedTrades {
  count: number;
  /** timestamp, seq, price, volume, processed_at, outlier (0 or 1) per trade. */
  numbers: Float64Array;
  text: string;
  /** End of each string of `text`, `STRINGS` per trade. */
  ends: Uint32Array;
  /** The distinct symbols, in order of first appearance; `symbolOf` holds each trade's index here. */
  symbols: string[];
  symbolOf: Uint32Array;
  /** The distinct sources, in order of first appearance; `sourceOf` holds each trade's index here. */
  sources: string[];
  sourceOf: Uint32Array;
}

const EMPTY_CONDITIONS = "[]";

/** Distinct values, each numbered by first appearance. */
class Dictionary {
  readonly #indexes = new Map<string, number>();
  readonly values: string[] = [];

  indexOf(value: string): number {
    let index = this.#indexes.get(value);
    if (index === undefined) {
      index = this.values.push(value) - 1;
      this.#indexes.set(value, index);
    }
    return index;
  }
}

/** Packs the trades of several writes, in order, as one column set. */
export const packTrades = (writes: readonly (readonly TradeToStore[])[]): PackedTrades => {
  let count = 0;
  for (const trades of writes) count += trades.length;
  const numbers = new Float64Array(count * NUMBERS);
  const ends = new Uint32Array(count * STRINGS);
  const strings: string[] = new Array(count * STRINGS);
  const symbols = new Dictionary();
  const symbolOf = new Uint32Array(count);
  const sources = new Dictionary();
  const sourceOf = new Uint32Array(count);
  let row = 0;
  let end = 0;
  for (const trades of writes) {
    for (const trade of trades) {
      const n = row * NUMBERS;
      numbers[n] = trade.timestamp;
      numbers[n + 1] = trade.seq;
      numbers[n + 2] = trade.price;
      numbers[n + 3] = trade.volume;
      numbers[n + 4] = trade.processed_at;
      numbers[n + 5] = trade.outlier ? 1 : 0;
      const s = row * STRINGS;
      const conditions = trade.conditions.length === 0 ? EMPTY_CONDITIONS : JSON.stringify(trade.conditions);
      strings[s] = trade.id;
      strings[s + 1] = conditions;
      ends[s] = end += trade.id.length;
      ends[s + 1] = end += conditions.length;
      symbolOf[row] = symbols.indexOf(trade.symbol);
      sourceOf[row] = sources.indexOf(trade.source);
      row++;
    }
  }
  return {
    count,
    numbers,
    text: strings.join(""),
    ends,
    symbols: symbols.values,
    symbolOf,
    sources: sources.values,
    sourceOf,
  };
};

/** The buffers `postMessage` can move instead of copying. */
export const transferablesOf = (packed: PackedTrades): ArrayBuffer[] => [
  packed.numbers.buffer as ArrayBuffer,
  packed.ends.buffer as ArrayBuffer,
  packed.symbolOf.buffer as ArrayBuffer,
  packed.sourceOf.buffer as ArrayBuffer,
];

/** One trade as the write thread binds it; `readTrade` refills one instance per row. */
export interface TradeRow {
  timestamp: number;
  seq: number;
  price: number;
  volume: number;
  processedAt: number;
  /** 1 for a flagged outlier, else 0. */
  outlier: number;
  id: string;
  symbol: string;
  source: string;
  /** JSON text, as stored. */
  conditions: string;
}

export const emptyTradeRow = (): TradeRow => ({
  timestamp: 0,
  seq: 0,
  price: 0,
  volume: 0,
  processedAt: 0,
  outlier: 0,
  id: "",
  symbol: "",
  source: "",
  conditions: EMPTY_CONDITIONS,
});

/** Fills `into` with trade `row` of `packed` and returns it. */
export const readTrade = (packed: PackedTrades, row: number, into: TradeRow): TradeRow => {
  const { numbers, text, ends } = packed;
  const n = row * NUMBERS;
  into.timestamp = numbers[n]!;
  into.seq = numbers[n + 1]!;
  into.price = numbers[n + 2]!;
  into.volume = numbers[n + 3]!;
  into.processedAt = numbers[n + 4]!;
  into.outlier = numbers[n + 5]!;
  const s = row * STRINGS;
  const start = s === 0 ? 0 : ends[s - 1]!;
  into.id = text.slice(start, ends[s]);
  into.conditions = text.slice(ends[s], ends[s + 1]);
  into.symbol = packed.symbols[packed.symbolOf[row]!]!;
  into.source = packed.sources[packed.sourceOf[row]!]!;
  return into;
};

/**
 * The rows of `packed` grouped by symbol, symbols in sorted order, each symbol's rows in their original
 * order (so of two trades with one key the first is still the one stored). Trades are clustered by
 * symbol: inserted in this order, consecutive rows land in the same B-tree leaf instead of a different
 * one each, which made commits of 15,000 trades over 5,000 symbols a third cheaper (docs/adr/0003).
 */
export const symbolOrder = ({ count, symbols, symbolOf }: PackedTrades): Uint32Array => {
  // A counting sort: each symbol's rows start where the rows of the symbols sorted before it end.
  const starts = new Uint32Array(symbols.length);
  for (let row = 0; row < count; row++) starts[symbolOf[row]!]!++;
  let at = 0;
  for (const symbol of symbols.map((_, index) => index).sort(byValueOf(symbols))) {
    const rows = starts[symbol]!;
    starts[symbol] = at;
    at += rows;
  }
  const order = new Uint32Array(count);
  for (let row = 0; row < count; row++) order[starts[symbolOf[row]!]!++] = row;
  return order;
};

/** Orders indexes of `values` as `Array.prototype.sort` orders the values themselves. */
const byValueOf =
  (values: readonly string[]) =>
  (a: number, b: number): number => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
