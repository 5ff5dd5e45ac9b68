/**
 * Lookup rows a store wrote recently, by key (one entry per symbol and month: a few thousand at most).
 * A `bar_months` row only has to exist and outlive its month's bars, so it is written again at most once
 * per `refreshMs`, not with every provisional bar update: without this, each bar write call sent one
 * extra request per bar partition.
 */
export class RecentTouches {
  readonly #writtenAt = new Map<string, number>();

  constructor(
    private readonly refreshMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when `key` was written less than `refreshMs` ago. */
  fresh(key: string): boolean {
    const at = this.#writtenAt.get(key);
    return at !== undefined && this.clock() - at < this.refreshMs;
  }

  /** Records `keys` as written now; call once their write was acknowledged. */
  written(keys: Iterable<string>): void {
    const now = this.clock();
    for (const key of keys) this.#writtenAt.set(key, now);
  }
}
