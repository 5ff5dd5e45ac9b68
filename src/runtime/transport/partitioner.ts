/** Partition of each key seen, per partition count. */
const caches = new Map<number, Map<string, number>>();
const CACHE_LIMIT = 100_000;

/** Partition of a key: stable for a given partition count, cheap on the hot path (keys are symbols). */
export const partitionFor = (key: string, partitions: number): number => {
  let cache = caches.get(partitions);
  if (cache === undefined) {
    cache = new Map();
    caches.set(partitions, cache);
  }
  let partition = cache.get(key);
  if (partition === undefined) {
    partition = Number(Bun.hash.wyhash(key) % BigInt(partitions));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, partition);
  }
  return partition;
};
