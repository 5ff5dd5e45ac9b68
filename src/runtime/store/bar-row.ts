import type { Bar } from "../../modules/contracts/index.ts";

/**
 * A bar's values in the column order both stores share after the partition key (DESIGN section 5):
 * window_start, window_end, open, high, low, close, volume, trade_count, vwap, volatility, and the
 * mergeable state mean, m2, sum_pv.
 */
export const barValues = (bar: Bar) => [
  bar.t,
  bar.T,
  bar.o,
  bar.h,
  bar.l,
  bar.c,
  bar.v,
  bar.n,
  bar.vw,
  bar.volatility,
  bar.mean,
  bar.m2,
  bar.sum_pv,
];
