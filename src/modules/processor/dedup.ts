import { MINUTE_MS, windowStart } from "../bars/index.ts";
import { type IdCheck, slicesNoLongerThan, WindowIds } from "./window-ids.ts";

/**
 * The trade ids of one symbol's recent trades, by 1-minute window and, inside a window, by slice of event
 * time no longer than the horizon. A slice is forgotten once it ended at least the horizon before the
 * symbol's highest event time, so memory follows the trade rate times about twice the horizon, not a
 * whole minute (docs/adr/0004).
 *
 * A trade whose slice was forgotten cannot be checked (`unchecked`). If its window is final, the engine
 * forwards it as a late trade, as always (the store keys trades by id and the bar is recomputed from the
 * stored trades). If its window is still open, it may repeat a trade already in the open bar: the engine
 * recomputes that bar from the store once it is final, which counts every stored trade once.
 */
export class IdHorizon {
  readonly #horizonMs: number;
  readonly #minSlices: number;
  readonly #windows = new Map<number, WindowIds>();
  /** Most trades fall in the window of the previous one. */
  #lastStart = Number.NaN;
  #last: WindowIds | undefined;
  #highest = Number.NEGATIVE_INFINITY;
  /** Slices ending at or before this are forgotten. */
  #floor = Number.NEGATIVE_INFINITY;
  /** End of the oldest slice held: nothing to forget until the floor reaches it. */
  #oldestEnd = Number.POSITIVE_INFINITY;

  /**
   * The horizon is never shorter than the allowed lateness, so a window whose every slice is forgotten
   * is always final.
   */
  constructor(horizonMs: number, allowedLatenessMs: number) {
    this.#horizonMs = Math.max(horizonMs, allowedLatenessMs);
    this.#minSlices = slicesNoLongerThan(this.#horizonMs);
  }

  /** Bytes of the tables of the ids remembered. */
  get bytes(): number {
    let bytes = 0;
    for (const ids of this.#windows.values()) bytes += ids.bytes;
    return bytes;
  }

  /** Checks `id` of a trade at `timestamp` against the ids remembered, and remembers it when new. */
  check(id: string, timestamp: number): IdCheck {
    const start = windowStart(timestamp, MINUTE_MS);
    let ids = this.#last;
    if (start !== this.#lastStart || ids === undefined) {
      if (start + MINUTE_MS <= this.#floor) return "unchecked";
      ids = this.#windows.get(start);
      if (ids === undefined) {
        // Sized like the window before: a symbol's trade rate changes little from one minute to the next.
        ids = new WindowIds(start, this.#last?.size ?? 0, this.#minSlices);
        this.#windows.set(start, ids);
        this.#oldestEnd = Math.min(this.#oldestEnd, ids.oldestEnd);
      }
      this.#last = ids;
      this.#lastStart = start;
    }
    const found = ids.add(id, timestamp);
    if (found === "new" && timestamp > this.#highest) this.#advance(timestamp);
    return found;
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
    for (const [start, ids] of this.#windows) {
      if (!ids.forgetBefore(floor)) {
        oldestEnd = Math.min(oldestEnd, ids.oldestEnd);
        continue;
      }
      this.#windows.delete(start);
      if (start === this.#lastStart) this.#last = undefined;
    }
    this.#oldestEnd = oldestEnd;
  }
}
