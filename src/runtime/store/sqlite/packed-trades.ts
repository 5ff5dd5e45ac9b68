import { getOrCreate } from "../../collections.ts";
import type { TradeToStore } from "../types.ts";

/** Numbers per trade in `PackedTrades.numbers`, in this order. */
const NUMBERS = 6;
/** Strings per trade in `PackedTrades.text`, in this order: id, symbol, source, conditions as JSON. */
const STRINGS = 4;

/**
 * Trades as columns for the write thread: numbers in a Float64Array (exact for every JS number), strings
 * concatenated into one string with their end offsets. Posting this copies two buffers and one string,
 * where JSON cost a stringify per trade here and a parse there (each thread's largest item under load).
 */
export interface PackedTrades {
  count: number;
  /** timestamp, seq, price, volume, processed_at, outlier (0 or 1) per trade. */
  numbers: Float64Array;
  text: string;
  /** End of each string of `text`, `STRINGS` per trade. */
  ends: Uint32Array;
}

const EMPTY_CONDITIONS = "[]";

/** Packs the trades of several writes, in order, as one column set. */
export const packTrades = (writes: readonly (readonly TradeToStore[])[]): PackedTrades => {
  let count = 0;
  for (const trades of writes) count += trades.length;
  const numbers = new Float64Array(count * NUMBERS);
  const ends = new Uint32Array(count * STRINGS);
  const strings: string[] = new Array(count * STRINGS);
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
      strings[s + 1] = trade.symbol;
      strings[s + 2] = trade.source;
      strings[s + 3] = conditions;
      ends[s] = end += trade.id.length;
      ends[s + 1] = end += trade.symbol.length;
      ends[s + 2] = end += trade.source.length;
      ends[s + 3] = end += conditions.length;
      row++;
    }
  }
  return { count, numbers, text: strings.join(""), ends };
};

/** The buffers `postMessage` can move instead of copying. */
export const transferablesOf = (packed: PackedTrades): ArrayBuffer[] => [
  packed.numbers.buffer as ArrayBuffer,
  packed.ends.buffer as ArrayBuffer,
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
export const readTrade = ({ numbers, text, ends }: PackedTrades, row: number, into: TradeRow): TradeRow => {
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
  into.symbol = text.slice(ends[s], ends[s + 1]);
  into.source = text.slice(ends[s + 1], ends[s + 2]);
  into.conditions = text.slice(ends[s + 2], ends[s + 3]);
  return into;
};

/**
 * The rows of `packed` grouped by symbol, symbols in sorted order, each symbol's rows in their original
 * order (so of two trades with one key the first is still the one stored). Trades are clustered by
 * symbol: inserted in this order, consecutive rows land in the same B-tree leaf instead of a different
 * one each, which made commits of 15,000 trades over 5,000 symbols a third cheaper (docs/adr/0003).
 */
export const symbolOrder = ({ count, text, ends }: PackedTrades): Uint32Array => {
  const rows = new Map<string, number[]>();
  for (let row = 0; row < count; row++) {
    const s = row * STRINGS;
    getOrCreate(rows, text.slice(ends[s], ends[s + 1]), () => []).push(row);
  }
  const order = new Uint32Array(count);
  let at = 0;
  for (const symbol of [...rows.keys()].sort()) for (const row of rows.get(symbol)!) order[at++] = row;
  return order;
};
