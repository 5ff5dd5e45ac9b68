/** What the writer knows about a stored 1-minute bar: whether it is final, and its revision. */
export interface WindowState {
  final: boolean;
  rev: number;
  /** Read from the store, not written by this writer: an earlier run or another writer stored it. */
  inherited?: boolean;
}

interface Entry {
  /** null: known not to be stored. */
  state: WindowState | null;
  touchedAt: number;
}

export const windowKey = (symbol: string, t: number) => `${t}:${symbol}`;

/**
 * The state of recently touched windows, forgotten `ttlMs` after their last use, so the hot path needs
 * no store read per provisional update and memory is bounded by the rate of new windows, not by time.
 * Entries are kept in least-recently-touched order (a Map keeps insertion order; touching re-inserts).
 */
export class WindowStates {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  get size() {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The known state; null when known to be absent from the store, undefined when unknown. */
  get(key: string): WindowState | null | undefined {
    return this.#entries.get(key)?.state;
  }

  set(key: string, state: WindowState | null): void {
    const touchedAt = this.clock();
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#entries.set(key, { state, touchedAt });
      return;
    }
    // Re-inserted to move to the young end; the entry object is reused.
    this.#entries.delete(key);
    entry.state = state;
    entry.touchedAt = touchedAt;
    this.#entries.set(key, entry);
  }

  /** Forgets everything, e.g. when partitions change hands and another writer may have written. */
  clear(): void {
    this.#entries.clear();
  }

  /** Forgets the entries untouched for longer than the ttl. */
  expire(): void {
    const oldest = this.clock() - this.ttlMs;
    for (const [key, entry] of this.#entries) {
      if (entry.touchedAt >= oldest) return;
      this.#entries.delete(key);
    }
  }
}
