import { DAY_MS } from "../bars/index.ts";
import { badParameter } from "./errors.ts";

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/**
 * The [from, to) range of a query: `to` defaults to now (inclusive of this millisecond), `from` to `to`
 * minus `lookbackMs`. Rejects an empty range and one wider than `maxRangeDays`.
 */
export const resolveRange = (
  query: { from?: number | undefined; to?: number | undefined },
  { lookbackMs, maxRangeDays, now }: { lookbackMs: number; maxRangeDays: number; now: number },
): TimeRange => {
  const maxRangeMs = maxRangeDays * DAY_MS;
  const to = query.to ?? now + 1;
  const from = query.from ?? to - Math.min(lookbackMs, maxRangeMs);
  if (from >= to) throw badParameter("from", "must be before to");
  if (to - from > maxRangeMs) {
    throw badParameter("from", `from and to may be at most ${maxRangeDays} days apart (to defaults to now)`);
  }
  return { from, to };
};
