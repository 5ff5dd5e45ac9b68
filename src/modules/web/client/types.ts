/** The API's wire shapes the page reads (see the OpenAPI spec at /openapi.json). */

export interface Bar {
  t: number;
  T: number;
  o: number | null;
  h: number | null;
  l: number | null;
  c: number | null;
  v: number;
  n: number;
  vw: number | null;
  final: boolean;
  rev: number;
}

export interface Trade {
  id: string;
  t: number;
  p: number;
  v: number;
  c: string[];
  processed_at: number;
}

/** A stream event's payload carries its symbol. */
export type Live<T> = T & { symbol: string };

export interface BarsPage {
  results: Bar[];
  next_cursor: string | null;
}

export interface TradesPage {
  results: Trade[];
}

export interface SymbolsList {
  results: { symbol: string; last_price: number; last_trade_at: number }[];
}

export interface Status {
  now: number;
  trades_per_second: number;
  stream_clients: number;
  websocket: { connected: number; connections: number } | null;
  consumer_lag: number | null;
  symbols: { symbol: string; last_trade_at: number; age_ms: number; lag_ms: number }[];
}
