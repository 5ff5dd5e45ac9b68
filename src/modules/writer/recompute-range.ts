import { getOrCreate } from "../../runtime/collections.ts";
import type { Store, StoredTrade } from "../../runtime/store/index.ts";
import { MINUTE_MS, windowStart } from "../bars/index.ts";
import type { Bar } from "../contracts/index.ts";
import { closeOpenBar, recomputeBar } from "./recompute.ts";

export interface RecomputeRangeOptions {
  store: Store;
  symbol: string;
  /** Epoch ms; every 1-minute window overlapping [from, to) is recomputed. */
  from: number;
  to: number;
  /** Leave flagged outliers out, as the pipeline does with `OUTLIER_EXCLUDE`. */
  outlierExclude: boolean;
  /** Count what would change, write nothing. */
  dryRun?: boolean;
  /** Wall clock, epoch ms: windows that have not ended by now are left to the pipeline. */
  clock?: () => number;
  /**
   * Epoch ms: an open bar of a window that ended by then was left by a stopped run and is finalised
   * (`closeOpenBar`); later ones are the pipeline's. Default: every open bar is left alone.
   */
  closedBefore?: number;
  /** Minutes of trades read per store query (bounds memory on busy symbols); default 60. */
  chunkMinutes?: number;
}

/** What a recomputation found, in 1-minute windows with stored trades. */
export interface RecomputeSummary {
  /** Windows with stored trades. */
  windows: number;
  /** Stored bar equal to its trades, or no bar due (every trade an excluded outlier): left as it is. */
  unchanged: number;
  /** Stored bar that differed from its trades: rewritten at rev + 1. */
  corrected: number;
  /** No stored bar: written at rev 0. */
  created: number;
  /** Provisional bar of a window that closed before `closedBefore`: written final at its revision. */
  finalized: number;
  /** Provisional bar: the window is still open in the pipeline, which will finalise it. */
  open: number;
}

const byWindow = (trades: readonly StoredTrade[]) => {
  const windows = new Map<number, StoredTrade[]>();
  for (const trade of trades) {
    getOrCreate(windows, windowStart(trade.timestamp, MINUTE_MS), () => []).push(trade);
  }
  return windows;
};

/**
 * Rebuilds the final 1-minute bars of `symbol` from its stored trades with the writer's own rule
 * (`recomputeBar`): a bar is rewritten, at rev + 1, only where it differs from its trades. Windows
 * without stored trades (e.g. expired by TTL) keep their bar; provisional bars are the pipeline's, except
 * those a stopped run left (`closedBefore`).
 * Safe next to a running writer: both compute the same values from the same trades.
 */
export const recomputeRange = async (options: RecomputeRangeOptions): Promise<RecomputeSummary> => {
  const { store, symbol, outlierExclude, dryRun = false, chunkMinutes = 60 } = options;
  const chunkMs = chunkMinutes * MINUTE_MS;
  const clock = options.clock ?? Date.now;
  const closedBefore = options.closedBefore ?? Number.NEGATIVE_INFINITY;
  const summary: RecomputeSummary = {
    windows: 0,
    unchanged: 0,
    corrected: 0,
    created: 0,
    finalized: 0,
    open: 0,
  };
  const end = Math.min(windowStart(options.to + MINUTE_MS - 1, MINUTE_MS), windowStart(clock(), MINUTE_MS));
  for (let start = windowStart(options.from, MINUTE_MS); start < end; start += chunkMs) {
    const windows = byWindow(await store.tradesBetween(symbol, start, Math.min(start + chunkMs, end)));
    if (windows.size === 0) continue;
    const stored = new Map((await store.getBars(symbol, [...windows.keys()])).map((bar) => [bar.t, bar]));
    const changed: Bar[] = [];
    for (const [t, trades] of windows) {
      summary.windows++;
      const current = stored.get(t);
      if (current && !current.final) {
        const closed =
          current.T <= closedBefore
            ? closeOpenBar({ symbol, t, trades, open: current, updatedAt: clock(), outlierExclude })
            : null;
        if (closed) changed.push(closed);
        summary[closed ? "finalized" : "open"]++;
        continue;
      }
      const bar = recomputeBar({ symbol, t, trades, current, updatedAt: clock(), outlierExclude });
      if (!bar) summary.unchanged++;
      else {
        summary[current ? "corrected" : "created"]++;
        changed.push(bar);
      }
    }
    if (!dryRun && changed.length > 0) await store.writeBars(changed);
  }
  return summary;
};
