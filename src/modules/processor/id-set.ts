const INITIAL_SLOTS = 64;

/**
 * An insert-only set of strings for the dedup hot path. `Set<string>` with hundreds of thousands of ids
 * costs several cache misses per insert; here a probe reads one `Int32Array` of (hash, position) pairs,
 * the ids themselves are appended in arrival order, and a stored id is read only when its 32-bit hash
 * matches, so equality stays exact.
 */
export class IdSet {
  #slots = new Int32Array(INITIAL_SLOTS * 2);
  #mask = INITIAL_SLOTS - 1;
  readonly #ids: string[] = [];

  get size(): number {
    return this.#ids.length;
  }

  /** Adds `id`; false when it was already present. */
  add(id: string): boolean {
    // A zero hash marks an empty slot, so stored hashes are odd.
    const hash = Bun.hash.cityHash32(id) | 1;
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash & mask;
    for (let stored = slots[slot * 2]!; stored !== 0; stored = slots[slot * 2]!) {
      if (stored === hash && this.#ids[slots[slot * 2 + 1]!] === id) return false;
      slot = (slot + 1) & mask;
    }
    slots[slot * 2] = hash;
    slots[slot * 2 + 1] = this.#ids.length;
    this.#ids.push(id);
    if (this.#ids.length * 2 > mask) this.#grow();
    return true;
  }

  #grow() {
    const slots = this.#slots;
    const mask = this.#mask * 2 + 1;
    const next = new Int32Array((mask + 1) * 2);
    for (let i = 0; i < slots.length; i += 2) {
      const hash = slots[i]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (next[slot * 2] !== 0) slot = (slot + 1) & mask;
      next[slot * 2] = hash;
      next[slot * 2 + 1] = slots[i + 1]!;
    }
    this.#slots = next;
    this.#mask = mask;
  }
}
