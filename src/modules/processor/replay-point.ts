import type { OpenBar } from "./symbol-state.ts";

/**
 * Open bars in the order they were opened, which is the order of their first offsets because a partition
 * is consumed in offset order. The head's first offset is where a restart must replay from; bars closed
 * meanwhile leave the queue lazily, when they reach the head.
 */
export class ReplayPoint {
  #bars: OpenBar[] = [];
  #head = 0;

  opened(bar: OpenBar): void {
    this.#bars.push(bar);
  }

  /** Offset of the oldest trade of a still-open bar; undefined when no bar is open. */
  offset(): number | undefined {
    const bars = this.#bars;
    while (this.#head < bars.length && !bars[this.#head]!.open) this.#head++;
    if (this.#head === bars.length) {
      this.#bars = [];
      this.#head = 0;
      return undefined;
    }
    if (this.#head > 1_024 && this.#head * 2 > bars.length) {
      this.#bars = bars.slice(this.#head);
      this.#head = 0;
    }
    return this.#bars[this.#head]!.firstOffset;
  }
}
