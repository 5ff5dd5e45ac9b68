/** Where `groupCommit` sends writes: an open transaction that takes items now and commits them later. */
export interface Transaction<T> {
  /** Adds items to the open transaction at once (their inserts start while the caller goes on). */
  stage(items: readonly T[]): void;
  /** Commits everything staged before this call; rejects, storing none of it, if any of it failed. */
  commit(): Promise<void>;
}

export interface GroupCommitOptions<T> {
  /** Shortest time from one commit's start to that of a sparse round after it (0: never waits). */
  holdMs: number;
  /** True when committing these items now would cost much per item (e.g. a page written per row). */
  sparse: (items: readonly T[]) => boolean;
}

const NEVER_HOLD: GroupCommitOptions<unknown> = { holdMs: 0, sparse: () => false };

/**
 * Group commit: writes requested while a commit is in flight, or by the same run of code (e.g. the
 * batches of every partition woken by one publish), are committed together as the next transaction.
 * Each write is staged at once, so its rows are inserted (on the write thread) while the previous commit
 * finishes and while its callers prepare more: only the commit itself waits for a round. A commit costs
 * about as much as a few thousand rows, so under load transactions grow instead of queueing up; every
 * caller's promise settles with the transaction that carried its items. What waits is bounded by the
 * callers: each awaits its write before sending more.
 *
 * A round goes as soon as the code that opened it, and the promise continuations already due, have run
 * (a microtask), not at the event loop's next turn. Under load one turn can carry the whole pipeline's
 * work that a commit released, from ingest through the processor, for tens of milliseconds, while the
 * write thread, its rows inserted, waited for that turn to get its commit. At 300,000 trades/s offered
 * (`bun bench/probe-dev.ts 20 300000 50`, four times each way, alternating) this stored 291,049-301,366
 * trades/s instead of 270,404-281,714 and dropped 5,759-11,802/s instead of 20,136-30,912; at 50,000/s
 * over 50 and over 5,000 symbols (one run each way) it changed nothing measurable (docs/BENCHMARKS.md).
 *
 * A round that is `sparse` when it is due starts no sooner than `holdMs` after the previous commit
 * started: commits come at most that often, so each carries more of what its callers (each awaiting its
 * write) bring per round and costs less per item. Group commit alone never grows such commits: small
 * commits that cost a lot per item still keep up while their thread has time to spare (docs/adr/0003).
 */
export const groupCommit = <T>(transaction: Transaction<T>, options: GroupCommitOptions<T> = NEVER_HOLD) => {
  /** Items staged since the last commit was sent: the next round. */
  let staged: T[] = [];
  let round: PromiseWithResolvers<void> | undefined;
  let startedAt = -Infinity;
  let committing = false;
  let held = false;

  const release = () => {
    const settle = round!;
    staged = [];
    round = undefined;
    committing = true;
    startedAt = performance.now();
    transaction
      .commit()
      .then(settle.resolve, settle.reject)
      .finally(() => {
        committing = false;
        queueMicrotask(flush);
      });
  };

  const flush = () => {
    if (committing || held || !round) return;
    const wait = startedAt + options.holdMs - performance.now();
    if (wait > 0 && options.sparse(staged)) {
      held = true;
      setTimeout(() => {
        held = false;
        release();
      }, wait);
      return;
    }
    release();
  };

  return (items: readonly T[]): Promise<void> => {
    if (items.length === 0) return Promise.resolve();
    transaction.stage(items);
    for (const item of items) staged.push(item);
    if (!round) {
      round = Promise.withResolvers<void>();
      if (!committing && !held) queueMicrotask(flush);
    }
    return round.promise;
  };
};
