/** The value of `key`, created with `create` and stored on first access. */
export const getOrCreate = <K, V>(map: Map<K, V>, key: K, create: (key: K) => V): V => {
  const found = map.get(key);
  if (found !== undefined) return found;
  const created = create(key);
  map.set(key, created);
  return created;
};
