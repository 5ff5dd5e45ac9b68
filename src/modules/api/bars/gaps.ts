/**
 * Walks the window starts of [lo, horizon) in page order and tells which ones hold no data: the caller
 * reports each data window as it comes, and gets the empty windows before it.
 */
export class Gaps {
  #next: number;

  constructor(
    private readonly lo: number,
    private readonly horizon: number,
    private readonly size: number,
    private readonly descending: boolean,
  ) {
    this.#next = descending ? horizon - size : lo;
  }

  /**
   * Calls `emit` for each empty window before the data window `t` (every remaining one when `t` is
   * undefined) while `emit` returns true, then moves past `t`.
   */
  before(t: number | undefined, emit: (start: number) => boolean): void {
    const { lo, horizon, size, descending } = this;
    const step = descending ? -size : size;
    while (this.#next >= lo && this.#next < horizon) {
      if (t !== undefined && (descending ? this.#next <= t : this.#next >= t)) break;
      if (!emit(this.#next)) return;
      this.#next += step;
    }
    // Data may lie past the horizon (clock skew); the walk resumes inside [lo, horizon).
    if (t !== undefined) this.#next = descending ? Math.min(t, horizon) - size : t + size;
  }
}
