import { MINUTE_MS } from "../bars/index.ts";
import { IdSet } from "./id-set.ts";

/**
 * What a trade's id is to the ids remembered: `new`, a `duplicate`, or `unchecked` when the slice of
 * event time that would hold it was already forgotten (see IdHorizon).
 */
export type IdCheck = "new" | "duplicate" | "unchecked";

/**
 * Ids per slice a window aims for: small enough for the slices in use to stay in cache, and for a
 * window's memory to be taken as its minute goes by rather than all at its start.
 */
const SLICE_TARGET = 256;
/** Slice counts that divide a minute into whole milliseconds. */
const SLICE_COUNTS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

/** The fewest slices a minute needs so that none is longer than `ms` (60 for anything under a second). */
export const slicesNoLongerThan = (ms: number): number =>
  SLICE_COUNTS.find((n) => MINUTE_MS / n <= ms) ?? SLICE_COUNTS.at(-1)!;

/**
 * The ids of one symbol's 1-minute window, split into equal slices of event time. A trade's id always
 * travels with the same timestamp, so a duplicate can only be in the slice of its own timestamp: each
 * lookup touches one small set, the sets of the last few seconds stay in cache however many ids the
 * window holds, and the oldest slices can be forgotten while the window is still open. The slice count
 * is chosen from the size of the symbol's previous window, and is at least `minSlices`.
 */
export class WindowIds {
  readonly #start: number;
  readonly #slices: (IdSet | undefined)[];
  readonly #sliceMs: number;
  readonly #expectedPerSlice: number;
  #size = 0;
  /** The slices before this index are forgotten. */
  #forgotten = 0;

  constructor(start: number, expected: number, minSlices = 1) {
    const count =
      SLICE_COUNTS.find((n) => n >= minSlices && expected / n <= SLICE_TARGET) ?? SLICE_COUNTS.at(-1)!;
    this.#start = start;
    this.#slices = new Array(count);
    this.#sliceMs = MINUTE_MS / count;
    this.#expectedPerSlice = Math.ceil(expected / count);
  }

  /** Ids added, forgotten ones included. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of the slices' tables. */
  get bytes(): number {
    let bytes = 0;
    for (const slice of this.#slices) bytes += slice?.bytes ?? 0;
    return bytes;
  }

  /** End of the oldest slice still remembered: nothing is forgotten before the floor reaches it. */
  get oldestEnd(): number {
    return this.#start + (this.#forgotten + 1) * this.#sliceMs;
  }

  /** Adds `id` of a trade at `timestamp` (inside this window), unless it is present or its slice is forgotten. */
  add(id: string, timestamp: number): IdCheck {
    const slices = this.#slices;
    const millis = timestamp - this.#start;
    const index = Math.floor(millis / this.#sliceMs);
    if (index < this.#forgotten) return "unchecked";
    let slice = slices[index];
    if (slice === undefined) {
      slice = new IdSet(this.#expectedPerSlice);
      slices[index] = slice;
    }
    if (!slice.add(id, millis)) return "duplicate";
    this.#size++;
    return "new";
  }

  /** Forgets the slices that end at or before `floor`; true once every slice is forgotten. */
  forgetBefore(floor: number): boolean {
    const slices = this.#slices;
    while (this.#forgotten < slices.length && this.oldestEnd <= floor) slices[this.#forgotten++] = undefined;
    return this.#forgotten === slices.length;
  }
}
