const cache = new Map<string, number>();
const CACHE_LIMIT = 100_000;

/** Partition of a key: stable for a given partition count, cheap on the hot path (keys are symbols). */
export const partitionFor = (key: string, partitions: number): number => {
  const cacheKey = `${partitions}\u0000${key}`;
  let partition = cache.get(cacheKey);
  if (partition === undefined) {
    partition = Number(Bun.hash.wyhash(key) % BigInt(partitions));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, partition);
  }
  return partition;
};
