/** Compact the arrival queue once this many expired ids lead it and they are most of it. */
const COMPACT_AFTER = 1_024;

/**
 * Suppresses identical frames that arrive within `windowMs` of the first copy (Finnhub is known to send
 * the same frame twice). Entries expire by arrival time, so memory holds at most one window of frames.
 */
export class FrameDeduper {
  readonly #windowMs: number;
  /** Frame id -> arrival ms of the copy remembered. */
  readonly #seen = new Map<string, number>();
  /**
   * The remembered ids in arrival order from `#head` on, so expiry touches only what it removes (walking
   * the Map from its start also walks past its deleted entries, which made each call cost a window's worth).
   */
  #order: string[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** True when the same frame arrived less than the window ago; otherwise remembers this one. */
  isDuplicate(frameId: string, now: number): boolean {
    if (this.#windowMs <= 0) return false;
    this.#expire(now);
    if (this.#seen.has(frameId)) return true;
    this.#seen.set(frameId, now);
    this.#order.push(frameId);
    return false;
  }

  /** Frames currently remembered. */
  get size(): number {
    return this.#seen.size;
  }

  #expire(now: number) {
    const order = this.#order;
    while (this.#head < order.length) {
      const id = order[this.#head]!;
      if (now - this.#seen.get(id)! < this.#windowMs) break;
      this.#seen.delete(id);
      this.#head++;
    }
    if (this.#head > COMPACT_AFTER && this.#head * 2 > order.length) {
      this.#order = order.slice(this.#head);
      this.#head = 0;
    }
  }
}
