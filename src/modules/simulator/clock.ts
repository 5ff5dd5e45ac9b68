export interface ClockOptions {
  /** How far in the past the clock starts, ms (0: the wall clock). */
  backfillMs: number;
  /** How many times faster than the wall clock it runs until it meets it. */
  backfillSpeed: number;
}

/**
 * The time the simulator stamps on trades. With a backfill it starts `backfillMs` in the past and runs
 * `backfillSpeed` times faster until it meets the wall clock, then stays on it: a fresh dev store gets
 * minutes of history in seconds, and no trade is ever stamped in the future.
 */
export const tradeClock = (
  { backfillMs, backfillSpeed }: ClockOptions,
  wall: () => number = Date.now,
): (() => number) => {
  if (backfillMs <= 0) return wall;
  const start = wall();
  const origin = start - backfillMs;
  return () => {
    const now = wall();
    return Math.min(now, Math.floor(origin + (now - start) * backfillSpeed));
  };
};
