import type { Bar } from "../contracts/index.ts";

interface Paced {
  /** Wall clock of the window's last stored provisional bar. */
  storedAt: number;
  /** The newest update received since, not stored yet. */
  held: Bar | undefined;
}

/**
 * Stores a window's provisional bar at most once per `intervalMs` (wall clock). An update inside the
 * interval is held, the newest replacing older ones, and goes out with the first batch after the
 * interval. Final bars are never paced, and finalising a window drops what it held. The live stream reads
 * every update from the processor, so pacing only thins what the store writes: with thousands of symbols,
 * each stored update rewrites a page of its own.
 *
 * Entries are kept in the order of their last store (a Map keeps insertion order; storing re-inserts), so
 * `due` only looks at entries whose interval has passed.
 */
export class ProvisionalPacer {
  readonly #windows = new Map<string, Paced>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number,
  ) {}

  /** True when the provisional `bar` of window `key` is to be stored now; otherwise it is held. */
  admit(key: string, bar: Bar): boolean {
    if (this.intervalMs <= 0) return true;
    const now = this.clock();
    const paced = this.#windows.get(key);
    if (paced !== undefined && now - paced.storedAt < this.intervalMs) {
      paced.held = bar;
      return false;
    }
    this.#stored(key, now);
    return true;
  }

  /** The held updates whose interval has passed, handed out as stored now. */
  due(): Bar[] {
    const now = this.clock();
    const due: Bar[] = [];
    for (const [key, paced] of this.#windows) {
      if (now - paced.storedAt < this.intervalMs) break;
      if (paced.held === undefined) this.#windows.delete(key);
      else {
        due.push(paced.held);
        this.#stored(key, now);
      }
    }
    return due;
  }

  /** The window is final (or its state unknown): nothing of it is held any more. */
  end(key: string): void {
    this.#windows.delete(key);
  }

  /** Forgets everything, e.g. when partitions change hands. */
  clear(): void {
    this.#windows.clear();
  }

  #stored(key: string, now: number) {
    this.#windows.delete(key);
    this.#windows.set(key, { storedAt: now, held: undefined });
  }
}
