import type { Bar, Trade } from "../../modules/contracts/index.ts";
import type { DependencyHealth } from "../health.ts";

/**
 * The seam to durable storage. Backends: `sqlite/` (embedded default) and `cassandra/` (production).
 * Writes are idempotent by key: a trade's key includes its id, a bar's key is (symbol, window start).
 */
export interface Store {
  /**
   * Stores trades; rewriting a stored trade is a no-op, except that Cassandra keeps an outlier flag a
   * rewrite adds (none clears one). Resolves once durable.
   */
  writeTrades(trades: readonly TradeToStore[]): Promise<void>;
  /** Upserts 1-minute bars exactly as given (the writer decides `final` and `rev`). Resolves once durable. */
  writeBars(bars: readonly Bar[]): Promise<void>;
  /** The stored 1-minute bars of `symbol` starting at any of `windowStarts` (missing ones are absent). */
  getBars(symbol: string, windowStarts: readonly number[]): Promise<Bar[]>;
  /** Every stored trade of `symbol` with from <= timestamp < to, in (timestamp, seq) order. */
  tradesBetween(symbol: string, from: number, to: number): Promise<StoredTrade[]>;
  /** A page of trades in a time range. */
  queryTrades(query: RangeQuery): Promise<Page<StoredTrade>>;
  /** A page of stored 1-minute bars in a time range (window start within [from, to)). */
  queryBars(query: RangeQuery): Promise<Page<Bar>>;
  /** Every symbol with stored trades, with its latest trade and today's (UTC) trade count. */
  symbols(): Promise<SymbolSummary[]>;
  /**
   * A number that changes whenever a write may have changed what reads of `symbol` return, whoever wrote
   * (another connection or process included); writes of other symbols leave it alone. Reads of the symbol
   * made after observing a version answer as they did while it stays the same, so answers may be cached
   * under it. Undefined when the backend cannot tell.
   */
  readVersion(symbol: string): number | undefined;
  /** State for `/readyz`: ok when a trivial query succeeds now. */
  health(): Promise<DependencyHealth>;
  close(): Promise<void>;
}

/** A trade as stored: with the outlier flag the processor gave it (DESIGN section 4). */
export interface StoredTrade extends Trade {
  outlier: boolean;
}

/**
 * A trade to store. Without a flag it is stored as no outlier, like the rows stored before there was a
 * flag: the writer passes the processor's trades through as they are and flags only the few outliers.
 */
export type TradeToStore = Trade & { outlier?: boolean };

export interface RangeQuery {
  symbol: string;
  /** Inclusive lower bound, epoch ms. */
  from: number;
  /** Exclusive upper bound, epoch ms. */
  to: number;
  limit: number;
  sort: "asc" | "desc";
  /** Opaque cursor from a previous page's `nextCursor`, continuing in the same direction. */
  cursor?: string;
}

export interface Page<T> {
  results: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface SymbolSummary {
  symbol: string;
  lastPrice: number;
  lastTradeAt: number;
  /**
   * Trades since 00:00 UTC as counted by the symbol's stored 1-minute bars of today (the sum of their `n`,
   * provisional bars included): at most 1,440 rows read, never the day's trades. A stored trade whose bar
   * is not written yet is not counted yet; a late trade is counted once its bar is corrected.
   */
  tradesToday: number;
}
