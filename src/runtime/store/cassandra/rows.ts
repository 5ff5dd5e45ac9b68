import type { types } from "cassandra-driver";
import type { Bar } from "../../../modules/contracts/index.ts";
import { barValues } from "../bar-row.ts";
import type { StoredTrade, TradeToStore } from "../types.ts";
import { monthKey, monthOf } from "./partitions.ts";

type Row = types.Row;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const millis = (value: unknown) => (value as Date).getTime();
const long = (value: unknown) => (value as types.Long).toNumber();

/**
 * Bound parameters of `statements.insertTrade` for a trade in day partition `day` (with its key columns
 * `key`, computed once per partition by the caller).
 */
export const tradeParams = (trade: TradeToStore, day: number, key: readonly [number, number, number]) => [
  trade.symbol,
  key[0],
  key[1],
  key[2],
  trade.timestamp,
  trade.id,
  trade.seq,
  trade.price,
  trade.volume,
  trade.conditions,
  Math.floor((trade.timestamp - day * DAY_MS) / HOUR_MS),
  trade.processed_at,
  trade.source,
  // Unset (undefined, see ./client.ts) unless flagged: no cell for nearly every trade, and a rewrite
  // without the flag (a replay whose fresh statistics judge differently) does not clear it.
  trade.outlier ? true : undefined,
];

/** A trade read back by `statements.trades` (which leaves out the partition key). */
export const tradeFromRow = (symbol: string, row: Row): StoredTrade => ({
  id: row.get("trade_id"),
  symbol,
  price: row.get("price"),
  timestamp: millis(row.get("timestamp")),
  volume: row.get("volume"),
  // An empty list is stored as no value at all.
  conditions: row.get("conditions") ?? [],
  processed_at: millis(row.get("processed_at")),
  source: row.get("source"),
  seq: long(row.get("seq")),
  // No cell: not flagged, or stored before migration 0005.
  outlier: row.get("outlier") === true,
});

/** Bound parameters of `statements.insertBar`. */
export const barParams = (bar: Bar) => {
  const [year, month] = monthKey(monthOf(bar.t));
  return [bar.symbol, year, month, ...barValues(bar), bar.final, bar.rev, bar.updated_at];
};

export const barFromRow = (row: Row): Bar => ({
  symbol: row.get("symbol"),
  t: millis(row.get("window_start")),
  T: millis(row.get("window_end")),
  o: row.get("open"),
  h: row.get("high"),
  l: row.get("low"),
  c: row.get("close"),
  v: row.get("volume"),
  n: row.get("trade_count"),
  vw: row.get("vwap"),
  volatility: row.get("volatility"),
  mean: row.get("mean"),
  m2: row.get("m2"),
  sum_pv: row.get("sum_pv"),
  final: row.get("final"),
  rev: row.get("rev"),
  updated_at: millis(row.get("updated_at")),
});
