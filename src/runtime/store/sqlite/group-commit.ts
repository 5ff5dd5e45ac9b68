/**
 * Group commit: writes requested while a commit is in flight, or during the same turn of the event loop
 * (e.g. the batches of every partition woken by one publish), are committed together as the next
 * transaction. A commit costs about as much as a few thousand rows, so under load transactions grow
 * instead of queueing up; every caller's promise settles with the transaction that carried its items.
 * What waits is bounded by the callers: each awaits its write before sending more.
 */
export const groupCommit = <T>(commit: (items: readonly T[]) => Promise<void>) => {
  let queued: T[] = [];
  let round: PromiseWithResolvers<void> | undefined;
  let committing = false;

  const flush = () => {
    if (committing || !round) return;
    const items = queued;
    const settle = round;
    queued = [];
    round = undefined;
    committing = true;
    commit(items)
      .then(settle.resolve, settle.reject)
      .finally(() => {
        committing = false;
        flush();
      });
  };

  return (items: readonly T[]): Promise<void> => {
    if (items.length === 0) return Promise.resolve();
    for (const item of items) queued.push(item);
    if (!round) {
      round = Promise.withResolvers<void>();
      if (!committing) setImmediate(flush);
    }
    return round.promise;
  };
};
