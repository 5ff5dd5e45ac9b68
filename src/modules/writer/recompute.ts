import type { StoredTrade } from "../../runtime/store/index.ts";
import { accumulateTrades, MINUTE_MS, toBar } from "../bars/index.ts";
import type { Bar } from "../contracts/index.ts";

const close = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));

/**
 * Same trades, same bar. Counts and picked prices compare exactly; sums and moments only to rounding,
 * because the processor adds trades in arrival order and a recomputation in (timestamp, seq) order.
 * Any added trade changes n, so no real change hides in the tolerance.
 */
const sameValues = (a: Bar, b: Bar) =>
  a.n === b.n &&
  a.o === b.o &&
  a.h === b.h &&
  a.l === b.l &&
  a.c === b.c &&
  close(a.v, b.v) &&
  close(a.vw, b.vw) &&
  close(a.volatility, b.volatility) &&
  close(a.mean, b.mean) &&
  close(a.m2, b.m2) &&
  close(a.sum_pv, b.sum_pv);

export interface Recomputation {
  symbol: string;
  /** Start of the 1-minute window. */
  t: number;
  /** Every stored trade of the window, in (timestamp, seq) order. */
  trades: readonly StoredTrade[];
  /** The bar stored (or about to be) for the window, if any. */
  current: Bar | undefined;
  updatedAt: number;
  /** Leave flagged outliers out, as the processor does with `OUTLIER_EXCLUDE`. */
  outlierExclude: boolean;
}

/**
 * The final bar of a window rebuilt from its stored trades, at rev + 1 over `current` (0 without one);
 * null when there are no trades (they may have expired: the stored bar stays), when every one is an
 * excluded outlier (the processor made no bar either) or when nothing changed.
 */
export const recomputeBar = (recomputation: Recomputation): Bar | null => {
  const { symbol, t, current, updatedAt, outlierExclude } = recomputation;
  const trades = outlierExclude
    ? recomputation.trades.filter((trade) => !trade.outlier)
    : recomputation.trades;
  if (trades.length === 0) return null;
  const rev = current ? current.rev + 1 : 0;
  const bar = toBar(accumulateTrades(trades), { symbol, t, T: t + MINUTE_MS, final: true, rev, updatedAt });
  return current && sameValues(current, bar) ? null : bar;
};

/**
 * The first final bar of a window whose open bar no pipeline will finalise (its run stopped): rebuilt
 * from the window's stored trades at the open bar's revision, since it is no correction. Null when no
 * trade makes a bar (every one an excluded outlier).
 */
export const closeOpenBar = (recomputation: Omit<Recomputation, "current"> & { open: Bar }): Bar | null => {
  const bar = recomputeBar({ ...recomputation, current: undefined });
  return bar && { ...bar, rev: recomputation.open.rev };
};
