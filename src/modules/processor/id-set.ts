const INITIAL_SLOTS = 16;
/**
 * Most entries per slot before the table doubles. Robin Hood probing keeps probes short even this full
 * (plain linear probing needs to stay under about 0.75), so a slice costs about a sixth less.
 */
const MAX_LOAD = 0.9;
const TWO_POW_32 = 2 ** 32;

/**
 * An insert-only set of trade ids for the dedup hot path, 8 bytes per slot (about 10 per id at the
 * table's load, `bun bench/dedup-tables.ts`) and no JavaScript object per entry. Each entry is a 64-bit
 * fingerprint (two independent 32-bit hashes) of the id together with the millisecond of the trade
 * inside its window: an id always travels with the same timestamp, so a redelivered trade has the same
 * fingerprint. A distinct trade is taken for a duplicate only if its fingerprint collides with one of
 * the set's: with n ids in the set, a chance of about n in 2^63 per trade (at a million trades a second
 * into sets of a thousand, once in 300 years). Exact ids cost 50 bytes each, which at 50,000 trades/s
 * alone would break the memory goal (docs/adr/0004).
 */
export class IdSet {
  /** (first hash with its low bit set, second hash) per slot; 0 marks an empty slot. */
  #hashes: Int32Array;
  #slots: number;
  #size = 0;
  // The second hash of the id last staged, set by `#fingerprint` (spares an allocation per call).
  #second = 0;

  /**
   * `expected`: how many ids are likely to come, so a busy symbol's set does not grow step by step. Trade
   * counts vary like Poisson counts, so about half the sets would get more than `expected` and double
   * (then half empty); room for two standard deviations more lets about one set in 40 grow.
   */
  constructor(expected = 0) {
    const likelyMost = expected + 2 * Math.sqrt(expected);
    this.#slots = Math.max(INITIAL_SLOTS, Math.ceil(likelyMost / MAX_LOAD));
    this.#hashes = new Int32Array(this.#slots * 2);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes of the table (what the set costs beside its small object). */
  get bytes(): number {
    return this.#hashes.byteLength;
  }

  /** Adds the id of a trade at `millis` (0 to 59,999) inside its window; false when it was present. */
  add(id: string, millis: number): boolean {
    const first = this.#fingerprint(id, millis);
    const second = this.#second;
    const hashes = this.#hashes;
    const slots = this.#slots;
    let slot = this.#home(second, slots);
    let distance = 0;
    // Robin Hood order: entries met on the way are at least as far from home as the id would be here, so
    // an empty slot or a nearer entry means the id is absent, and it goes there.
    for (let stored = hashes[slot * 2]!; stored !== 0; stored = hashes[slot * 2]!) {
      const storedSecond = hashes[slot * 2 + 1]!;
      if (stored === first && storedSecond === second) return false;
      if (this.#distance(slot, storedSecond, slots) < distance) break;
      if (++slot === slots) slot = 0;
      distance++;
    }
    this.#place(hashes, slots, slot, distance, first, second);
    if (++this.#size > slots * MAX_LOAD) this.#grow();
    return true;
  }

  /**
   * Puts an entry at `slot` (`distance` from its home), moving each entry it displaces on to the next
   * slot that is empty or holds an entry nearer its home than the one carried.
   */
  #place(hashes: Int32Array, slots: number, slot: number, distance: number, first: number, second: number) {
    for (let stored = hashes[slot * 2]!; stored !== 0; stored = hashes[slot * 2]!) {
      const storedSecond = hashes[slot * 2 + 1]!;
      const storedDistance = this.#distance(slot, storedSecond, slots);
      if (storedDistance < distance) {
        hashes[slot * 2] = first;
        hashes[slot * 2 + 1] = second;
        first = stored;
        second = storedSecond;
        distance = storedDistance;
      }
      if (++slot === slots) slot = 0;
      distance++;
    }
    hashes[slot * 2] = first;
    hashes[slot * 2 + 1] = second;
  }

  /**
   * FNV-1a and a multiply-rotate hash over the UTF-16 code units, each mixed with the millisecond and
   * finished with murmur3's fmix32. Returns the first with its low bit set (never 0); the second goes to
   * `#second`.
   */
  #fingerprint(id: string, millis: number): number {
    let a = 0x811c9dc5;
    let b = 0x2545f491;
    for (let i = 0; i < id.length; i++) {
      const unit = id.charCodeAt(i);
      a = Math.imul(a ^ unit, 0x01000193);
      b = Math.imul(((b << 5) | (b >>> 27)) ^ unit, 0x9e3779b1);
    }
    this.#second = fmix32(b ^ Math.imul(id.length + 1, 0x27d4eb2f) ^ Math.imul(millis + 1, 0x165667b1));
    return fmix32(a ^ Math.imul(millis + 1, 0x85ebca6b)) | 1;
  }

  /** The slot a hash starts probing at: its fraction of 2^32 scaled to the table. */
  #home(hash: number, slots: number): number {
    return Math.floor(((hash >>> 0) * slots) / TWO_POW_32);
  }

  /** How far past its home slot an entry with second hash `hash` sits at `slot` (probes wrap around). */
  #distance(slot: number, hash: number, slots: number): number {
    const home = this.#home(hash, slots);
    return slot >= home ? slot - home : slot + slots - home;
  }

  #grow() {
    const hashes = this.#hashes;
    const slots = this.#slots * 2;
    const nextHashes = new Int32Array(slots * 2);
    for (let i = 0; i < this.#slots; i++) {
      const first = hashes[i * 2]!;
      if (first === 0) continue;
      const second = hashes[i * 2 + 1]!;
      this.#place(nextHashes, slots, this.#home(second, slots), 0, first, second);
    }
    this.#hashes = nextHashes;
    this.#slots = slots;
  }
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
const fmix32 = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
};
