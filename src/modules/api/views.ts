import type { Bar, Trade } from "../contracts/index.ts";
import type { ApiBar } from "./schemas/bars.ts";

/** A stored trade as the API shows it (REST pages and stream events). */
export const tradeView = (trade: Trade) => ({
  id: trade.id,
  t: trade.timestamp,
  p: trade.price,
  v: trade.volume,
  c: trade.conditions,
  processed_at: trade.processed_at,
});

/** A trade as stream events show it: `tradeView` with the symbol first, built in one object. */
export const streamTradeView = (trade: Trade) => ({
  symbol: trade.symbol,
  id: trade.id,
  t: trade.timestamp,
  p: trade.price,
  v: trade.volume,
  c: trade.conditions,
  processed_at: trade.processed_at,
});

/** A 1-minute bar as the API shows it: without the mergeable state and bookkeeping. */
export const barView = (bar: Bar): ApiBar => ({
  t: bar.t,
  T: bar.T,
  o: bar.o,
  h: bar.h,
  l: bar.l,
  c: bar.c,
  v: bar.v,
  n: bar.n,
  vw: bar.vw,
  volatility: bar.volatility,
  final: bar.final,
  rev: bar.rev,
});
