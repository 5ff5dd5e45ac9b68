import { MINUTE_MS, windowStart } from "../bars/index.ts";
import { WindowIds } from "./window-ids.ts";

/**
 * The trade ids of one symbol's recent 1-minute windows, one set per window. A window's set is dropped
 * whole once the window ended at least the horizon before the symbol's highest event time, so memory
 * follows the trade rate times (a minute + the horizon) and never grows with uptime.
 *
 * A trade of a forgotten window cannot be checked and counts as new. That is safe because the horizon is
 * never shorter than the allowed lateness: the window is already final, so the trade is forwarded as a
 * late trade (the store keys trades by id, and the bar is recomputed from stored trades).
 */
export class IdHorizon {
  readonly #horizonMs: number;
  readonly #windows = new Map<number, WindowIds>();
  /** Most trades fall in the window of the previous one. */
  #lastStart = Number.NaN;
  #last: WindowIds | undefined;
  #highest = Number.NEGATIVE_INFINITY;
  /** Windows ending at or before this are forgotten. */
  #floor = Number.NEGATIVE_INFINITY;
  /** End of the oldest window held: nothing to forget until the floor reaches it. */
  #oldestEnd = Number.POSITIVE_INFINITY;

  constructor(horizonMs: number, allowedLatenessMs: number) {
    this.#horizonMs = Math.max(horizonMs, allowedLatenessMs);
  }

  /** True when `id` was already seen within the horizon; otherwise remembers it. */
  seen(id: string, timestamp: number): boolean {
    const start = windowStart(timestamp, MINUTE_MS);
    let ids = this.#last;
    if (start !== this.#lastStart || ids === undefined) {
      if (start + MINUTE_MS <= this.#floor) return false;
      ids = this.#windows.get(start);
      if (ids === undefined) {
        // Sized like the window before: a symbol's trade rate changes little from one minute to the next.
        ids = new WindowIds(start, this.#last?.size ?? 0);
        this.#windows.set(start, ids);
        this.#oldestEnd = Math.min(this.#oldestEnd, start + MINUTE_MS);
      }
      this.#last = ids;
      this.#lastStart = start;
    }
    if (!ids.add(id, timestamp)) return true;
    if (timestamp > this.#highest) this.#advance(timestamp);
    return false;
  }

  /** Forgets every id (once every window of the symbol is final, a redelivery is a harmless late trade). */
  clear(): void {
    this.#windows.clear();
    this.#last = undefined;
    this.#lastStart = Number.NaN;
    this.#oldestEnd = Number.POSITIVE_INFINITY;
  }

  #advance(timestamp: number) {
    this.#highest = timestamp;
    const floor = timestamp - this.#horizonMs;
    this.#floor = floor;
    if (floor < this.#oldestEnd) return;
    let oldestEnd = Number.POSITIVE_INFINITY;
    for (const start of this.#windows.keys()) {
      const end = start + MINUTE_MS;
      if (end > floor) {
        oldestEnd = Math.min(oldestEnd, end);
        continue;
      }
      this.#windows.delete(start);
      if (start === this.#lastStart) this.#last = undefined;
    }
    this.#oldestEnd = oldestEnd;
  }
}
