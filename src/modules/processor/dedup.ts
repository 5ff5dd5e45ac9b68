import { MINUTE_MS, windowStart } from "../bars/index.ts";
import { IdSet } from "./id-set.ts";

/**
 * The trade ids of one symbol seen within a horizon of its event time, in buckets of event time (a minute,
 * or the horizon when shorter). Buckets that end more than the horizon before the symbol's highest event
 * time are dropped whole, so memory follows the trade rate times the horizon and never grows with uptime.
 *
 * A trade older than the horizon cannot be checked and counts as new. That is safe because the horizon is
 * never shorter than the allowed lateness plus a minute: such a trade's window is already final, so it is
 * forwarded as a late trade (the store keys trades by id, and the bar is recomputed from stored trades).
 */
export class IdHorizon {
  readonly #horizonMs: number;
  readonly #bucketMs: number;
  readonly #buckets = new Map<number, IdSet>();
  /** Most trades fall in the bucket of the previous one. */
  #lastStart = Number.NaN;
  #last: IdSet | undefined;
  #highest = Number.NEGATIVE_INFINITY;
  /** Buckets ending at or before this are gone. */
  #floor = Number.NEGATIVE_INFINITY;

  constructor(horizonMs: number, allowedLatenessMs: number) {
    this.#horizonMs = Math.max(horizonMs, allowedLatenessMs + MINUTE_MS);
    this.#bucketMs = Math.min(MINUTE_MS, this.#horizonMs);
  }

  /** True when `id` was already seen within the horizon; otherwise remembers it. */
  seen(id: string, timestamp: number): boolean {
    const start = windowStart(timestamp, this.#bucketMs);
    let bucket = this.#last;
    if (start !== this.#lastStart || bucket === undefined) {
      if (start + this.#bucketMs <= this.#floor) return false;
      bucket = this.#buckets.get(start);
      if (bucket === undefined) {
        bucket = new IdSet();
        this.#buckets.set(start, bucket);
      }
      this.#last = bucket;
      this.#lastStart = start;
    }
    if (!bucket.add(id)) return true;
    if (timestamp > this.#highest) this.#advance(timestamp);
    return false;
  }

  /** Ids currently remembered. */
  get size(): number {
    let size = 0;
    for (const bucket of this.#buckets.values()) size += bucket.size;
    return size;
  }

  /** Forgets every id (once every window of the symbol is final, a redelivery is a harmless late trade). */
  clear(): void {
    this.#buckets.clear();
    this.#last = undefined;
    this.#lastStart = Number.NaN;
  }

  #advance(timestamp: number) {
    this.#highest = timestamp;
    const floor = timestamp - this.#horizonMs;
    if (floor < this.#floor + this.#bucketMs) return;
    this.#floor = floor;
    for (const start of this.#buckets.keys()) {
      if (start + this.#bucketMs > floor) continue;
      this.#buckets.delete(start);
      if (start === this.#lastStart) this.#last = undefined;
    }
  }
}
