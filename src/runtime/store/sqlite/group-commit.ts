/**
 * Group commit: the writes requested during one turn of the event loop (e.g. the batches of every
 * partition woken by the same publish) are committed as one transaction on the next turn. A commit
 * costs about as much as a few thousand rows, so a few large transactions beat many small ones; every
 * caller's promise settles with the shared transaction.
 */
export const groupCommit = <T>(commit: (items: readonly T[]) => void) => {
  let queued: T[] = [];
  let round: PromiseWithResolvers<void> | undefined;

  const run = () => {
    const items = queued;
    const settle = round!;
    queued = [];
    round = undefined;
    try {
      commit(items);
      settle.resolve();
    } catch (error) {
      settle.reject(error);
    }
  };

  return (items: readonly T[]): Promise<void> => {
    if (items.length === 0) return Promise.resolve();
    for (const item of items) queued.push(item);
    if (!round) {
      round = Promise.withResolvers<void>();
      setImmediate(run);
    }
    return round.promise;
  };
};
