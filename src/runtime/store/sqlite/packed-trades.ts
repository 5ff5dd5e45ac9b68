import { getOrCreate } from "../../collections.ts";
import type { TradeToStore } from "../types.ts";

/** Numbers per trade in `PackedTrades.numbers`, in this order. */
const NUMBERS = 6;

/** A column of strings that repeat: each distinct value once, and each trade's index into them. */
export interface RepeatedStrings {
  values: string[];
  indexes: Uint32Array;
}

/**
 * Trades as columns for the write thread: numbers in a Float64Array (exact for every JS number), ids
 * concatenated into one string with their end offsets, and the strings that repeat (symbol, source,
 * conditions as JSON) once each with an index per trade. Posting this copies five buffers, one string
 * and three short lists, where JSON cost a stringify per trade here and a parse there (each thread's
 * largest item under load), and the write thread cuts one string per trade out of the packed text.
 */
export interface PackedTrades {
  count: number;
  /** timestamp, seq, price, volume, processed_at, outlier (0 or 1) per trade. */
  numbers: Float64Array;
  ids: string;
  /** End of each trade's id in `ids`. */
  idEnds: Uint32Array;
  symbols: RepeatedStrings;
  sources: RepeatedStrings;
  /** JSON text, as stored. */
  conditions: RepeatedStrings;
}

const EMPTY_CONDITIONS = "[]";
/** Condition lists remembered by `ConditionsJson` before it starts over (a bound for odd feeds). */
const MAX_CONDITION_LISTS = 1_000;

const sameStrings = (a: readonly string[], b: readonly string[]) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The JSON text of condition lists, remembered by content: a feed repeats a handful of lists (Finnhub
 * sends a few codes a trade), and finding one again costs about a third of a `JSON.stringify`.
 */
class ConditionsJson {
  /** Lists seen, by their first condition. */
  readonly #byFirst = new Map<string, { list: readonly string[]; json: string }[]>();
  #size = 0;

  of(list: readonly string[]): string {
    if (list.length === 0) return EMPTY_CONDITIONS;
    const first = list[0]!;
    const known = this.#byFirst.get(first);
    if (known) for (const entry of known) if (sameStrings(entry.list, list)) return entry.json;
    const json = JSON.stringify(list);
    if (this.#size === MAX_CONDITION_LISTS) {
      this.#byFirst.clear();
      this.#size = 0;
    }
    // A copy: the list is the trade's, and a caller could still change it.
    getOrCreate(this.#byFirst, first, () => []).push({ list: [...list], json });
    this.#size++;
    return json;
  }
}

const conditionsJson = new ConditionsJson();

/** Builds a `RepeatedStrings` column row by row. */
class Dictionary {
  readonly #indexes = new Map<string, number>();
  readonly column: RepeatedStrings;

  constructor(rows: number) {
    this.column = { values: [], indexes: new Uint32Array(rows) };
  }

  set(row: number, value: string) {
    let index = this.#indexes.get(value);
    if (index === undefined) {
      index = this.column.values.push(value) - 1;
      this.#indexes.set(value, index);
    }
    this.column.indexes[row] = index;
  }
}

/** Packs the trades of several writes, in order, as one column set. */
export const packTrades = (writes: readonly (readonly TradeToStore[])[]): PackedTrades => {
  let count = 0;
  for (const trades of writes) count += trades.length;
  const numbers = new Float64Array(count * NUMBERS);
  const ids: string[] = new Array(count);
  const idEnds = new Uint32Array(count);
  const symbols = new Dictionary(count);
  const sources = new Dictionary(count);
  const conditions = new Dictionary(count);
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
      ids[row] = trade.id;
      idEnds[row] = end += trade.id.length;
      symbols.set(row, trade.symbol);
      sources.set(row, trade.source);
      conditions.set(row, conditionsJson.of(trade.conditions));
      row++;
    }
  }
  return {
    count,
    numbers,
    ids: ids.join(""),
    idEnds,
    symbols: symbols.column,
    sources: sources.column,
    conditions: conditions.column,
  };
};

/** The buffers `postMessage` can move instead of copying. */
export const transferablesOf = (packed: PackedTrades): ArrayBuffer[] =>
  [
    packed.numbers,
    packed.idEnds,
    packed.symbols.indexes,
    packed.sources.indexes,
    packed.conditions.indexes,
  ].map((array) => array.buffer as ArrayBuffer);

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

const valueAt = ({ values, indexes }: RepeatedStrings, row: number) => values[indexes[row]!]!;

/** Fills `into` with trade `row` of `packed` and returns it. */
export const readTrade = (packed: PackedTrades, row: number, into: TradeRow): TradeRow => {
  const { numbers, idEnds } = packed;
  const n = row * NUMBERS;
  into.timestamp = numbers[n]!;
  into.seq = numbers[n + 1]!;
  into.price = numbers[n + 2]!;
  into.volume = numbers[n + 3]!;
  into.processedAt = numbers[n + 4]!;
  into.outlier = numbers[n + 5]!;
  into.id = packed.ids.slice(row === 0 ? 0 : idEnds[row - 1], idEnds[row]);
  into.symbol = valueAt(packed.symbols, row);
  into.source = valueAt(packed.sources, row);
  into.conditions = valueAt(packed.conditions, row);
  return into;
};

/**
 * The rows of `packed` grouped by symbol, symbols in sorted order, each symbol's rows in their original
 * order (so of two trades with one key the first is still the one stored). Trades are clustered by
 * symbol: inserted in this order, consecutive rows land in the same B-tree leaf instead of a different
 * one each, which made commits of 15,000 trades over 5,000 symbols a third cheaper (docs/adr/0003).
 */
export const symbolOrder = ({ count, symbols }: PackedTrades): Uint32Array => {
  const { values, indexes } = symbols;
  // A counting sort: each symbol's rows start where the rows of the symbols sorted before it end.
  const starts = new Uint32Array(values.length);
  for (let row = 0; row < count; row++) starts[indexes[row]!]!++;
  let at = 0;
  for (const symbol of values.map((_, index) => index).sort(byValueOf(values))) {
    const rows = starts[symbol]!;
    starts[symbol] = at;
    at += rows;
  }
  const order = new Uint32Array(count);
  for (let row = 0; row < count; row++) order[starts[indexes[row]!]!++] = row;
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
