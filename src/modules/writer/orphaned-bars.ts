import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import type { Store } from "../../runtime/store/index.ts";
import { MINUTE_MS, windowStart } from "../bars/index.ts";
import type { Bar } from "../contracts/index.ts";
import { closeOpenBar } from "./recompute.ts";

/** Past a window's lateness and idle timeout, before a bar still open there counts as left by a stopped run. */
const CLOSE_MARGIN_MS = 5_000;

/**
 * How long after its end a window's bar is final if a processor holds it: past that, an open bar was
 * left by a stopped run.
 */
export const openBarCloseAfterMs = ({
  allowedLatenessMs,
  idleTimeoutMs,
}: {
  allowedLatenessMs: number;
  idleTimeoutMs: number;
}) => allowedLatenessMs + idleTimeoutMs + CLOSE_MARGIN_MS;

export interface OrphanedBarsDeps {
  store: Store;
  logger: Logger;
  /** Rebuilt bars leave flagged outliers out, as the processor's do (`OUTLIER_EXCLUDE`). */
  outlierExclude: boolean;
  /** How long after its end a window's bar is final if a processor holds it (lateness + idle timeout). */
  closeAfterMs: number;
  /** When to look again, ms after start: by default once the window open at start has had time to close. */
  recheckAfterMs?: number;
  clock?: () => number;
}

/** Each symbol's last minute with stored trades and the one before: what a stopped run can leave open. */
const lastWindows = async (store: Store): Promise<Map<string, number[]>> => {
  const windows = new Map<string, number[]>();
  for (const { symbol, lastTradeAt } of await store.symbols()) {
    const last = windowStart(lastTradeAt, MINUTE_MS);
    windows.set(symbol, [last - MINUTE_MS, last]);
  }
  return windows;
};

/** Writes as final, from their stored trades and at their own revision, the open bars that ended before `cutoff`. */
const finalizeOpen = async (
  { store, outlierExclude }: OrphanedBarsDeps,
  windows: ReadonlyMap<string, readonly number[]>,
  cutoff: number,
  now: number,
): Promise<number> => {
  let finalized = 0;
  for (const [symbol, starts] of windows) {
    const finals: Bar[] = [];
    for (const open of await store.getBars(symbol, starts)) {
      if (open.final || open.T > cutoff) continue;
      const trades = await store.tradesBetween(symbol, open.t, open.T);
      const bar = closeOpenBar({ symbol, t: open.t, trades, open, updatedAt: now, outlierExclude });
      if (bar) finals.push(bar);
    }
    if (finals.length === 0) continue;
    await store.writeBars(finals);
    finalized += finals.length;
  }
  return finalized;
};

/**
 * Finalises the bars a previous run left open, for a pipeline whose transport replays nothing (in-process
 * channels): its processor starts with no window, so a minute that was open when the last run stopped
 * gets no final bar unless trades of it come again. At start, the windows of each symbol's last stored
 * minutes that ended long enough ago are written final from their stored trades; once more after the
 * window open at start has had time to close, for the symbols whose processor never saw it again. A
 * final bar the processor sends after all is then rebuilt from the same trades (docs/adr/0002, rule 3).
 */
export const startOrphanedBarsRepair = async (deps: OrphanedBarsDeps): Promise<ModuleHandle> => {
  const { logger, closeAfterMs } = deps;
  const clock = deps.clock ?? Date.now;
  const windows = await lastWindows(deps.store);
  const pass = async () => {
    const now = clock();
    const finalized = await finalizeOpen(deps, windows, now - closeAfterMs, now);
    if (finalized > 0)
      logger.info({ bars: finalized }, `finalised ${finalized} bars a previous run left open`);
  };
  await pass();
  let running: Promise<void> | undefined;
  const timer = setTimeout(
    () => {
      running = pass().catch((error: unknown) =>
        logger.warn({ err: error }, "finalising left-open bars failed"),
      );
    },
    deps.recheckAfterMs ?? MINUTE_MS + closeAfterMs,
  );
  return createHandle(async () => {
    clearTimeout(timer);
    await running;
  }).handle;
};
