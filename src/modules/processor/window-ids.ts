import { MINUTE_MS } from "../bars/index.ts";
import { IdSet } from "./id-set.ts";

/**
 * Ids per slice a window aims for: small enough for the slices in use to stay in cache, and for a
 * window's memory to be taken as its minute goes by rather than all at its start (at the turn of the
 * minute the previous window is still held).
 */
const SLICE_TARGET = 256;
/** Slice counts that divide a minute into whole milliseconds. */
const SLICE_COUNTS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

/**
 * The ids of one symbol's 1-minute window, split into equal slices of event time. A trade's id always
 * travels with the same timestamp, so a duplicate can only be in the slice of its own timestamp: each
 * lookup touches one small set, and the sets of the last few seconds stay in cache however many ids the
 * window holds. The slice count is chosen from the size of the symbol's previous window.
 */
export class WindowIds {
  readonly #start: number;
  readonly #slices: (IdSet | undefined)[];
  readonly #expectedPerSlice: number;
  #size = 0;

  constructor(start: number, expected: number) {
    const count = SLICE_COUNTS.find((n) => expected / n <= SLICE_TARGET) ?? SLICE_COUNTS.at(-1)!;
    this.#start = start;
    this.#slices = new Array(count);
    this.#expectedPerSlice = Math.ceil(expected / count);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes of the slices' tables. */
  get bytes(): number {
    let bytes = 0;
    for (const slice of this.#slices) bytes += slice?.bytes ?? 0;
    return bytes;
  }

  /** Adds `id` of a trade at `timestamp` (inside this window); false when it was already present. */
  add(id: string, timestamp: number): boolean {
    const slices = this.#slices;
    const millis = timestamp - this.#start;
    const index = Math.floor((millis * slices.length) / MINUTE_MS);
    let slice = slices[index];
    if (slice === undefined) {
      slice = new IdSet(this.#expectedPerSlice);
      slices[index] = slice;
    }
    if (!slice.add(id, millis)) return false;
    this.#size++;
    return true;
  }
}
