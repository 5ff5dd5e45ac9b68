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
 * Group commit: writes requested while a commit is in flight, or during the same turn of the event loop
 * (e.g. the batches of every partition woken by one publish), are committed together as the next
 * transaction. Each write is staged at once, so its rows are inserted (on the write thread) while the
 * previous commit finishes and while its callers prepare more: only the commit itself waits for a round.
 * A commit costs about as much as a few thousand rows, so under load transactions grow instead of
 * queueing up; every caller's promise settles with the transaction that carried its items. What waits
 * is bounded by the callers: each awaits its write before sending more.
 *
 * A round that is `sparse` when its turn comes starts no sooner than `holdMs` after the previous commit
 * started: commits come at most that often, so each carries more of what its callers (each awaiting its
 * write) bring per round and costs less per item. Group commit alone never grows such commits: small
 * commits that cost a lot per item still keep up while their thread has time to spare (docs/adr/0003).
 * After a commit the next round waits for one turn of the event loop, so the callers it released, which
 * request their next writes within that turn, share one round instead of trailing into the one after.
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
        setImmediate(flush);
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
      if (!committing && !held) setImmediate(flush);
    }
    return round.promise;
  };
};
