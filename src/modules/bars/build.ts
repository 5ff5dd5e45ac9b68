import type { Bar } from "../contracts/index.ts";
import { BarAccumulator, type MergeableBar } from "./accumulator.ts";

export interface BarMeta {
  symbol: string;
  t: number;
  T: number;
  final: boolean;
  rev: number;
  updatedAt: number;
}

/** The bar a (non-empty) accumulator stands for. */
export const toBar = (acc: BarAccumulator, meta: BarMeta): Bar => ({
  symbol: meta.symbol,
  t: meta.t,
  T: meta.T,
  o: acc.open,
  h: acc.high,
  l: acc.low,
  c: acc.close,
  v: acc.volume,
  n: acc.n,
  vw: acc.vwap,
  volatility: acc.volatility,
  mean: acc.mean,
  m2: acc.m2,
  sum_pv: acc.sumPv,
  final: meta.final,
  rev: meta.rev,
  updated_at: meta.updatedAt,
});

/** One bar over consecutive bars given in time order: exact OHLC, n, v; stable vw and volatility. */
export const mergeBars = (bars: readonly MergeableBar[]): BarAccumulator => {
  const acc = new BarAccumulator();
  for (const bar of bars) acc.append(bar);
  return acc;
};

export interface TradeLike {
  price: number;
  volume: number;
  timestamp: number;
  seq: number;
}

/** The accumulator of a set of trades, in any order. */
export const accumulateTrades = (trades: Iterable<TradeLike>): BarAccumulator => {
  const acc = new BarAccumulator();
  for (const trade of trades) acc.add(trade.price, trade.volume, trade.timestamp, trade.seq);
  return acc;
};
