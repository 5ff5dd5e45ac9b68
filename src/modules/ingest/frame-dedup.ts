/**
 * Suppresses identical frames that arrive within `windowMs` of the first copy (Finnhub is known to send
 * the same frame twice). Entries expire by arrival time, so memory holds at most one window of frames.
 */
export class FrameDeduper {
  readonly #windowMs: number;
  /** Frame id -> arrival ms; insertion order is arrival order, so expired entries are at the front. */
  readonly #seen = new Map<string, number>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** True when the same frame arrived less than the window ago; otherwise remembers this one. */
  isDuplicate(frameId: string, now: number): boolean {
    if (this.#windowMs <= 0) return false;
    for (const [id, at] of this.#seen) {
      if (now - at < this.#windowMs) break;
      this.#seen.delete(id);
    }
    if (this.#seen.has(frameId)) return true;
    this.#seen.set(frameId, now);
    return false;
  }

  /** Frames currently remembered. */
  get size(): number {
    return this.#seen.size;
  }
}
