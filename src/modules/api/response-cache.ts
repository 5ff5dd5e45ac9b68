import type { Counter } from "../../runtime/metrics/index.ts";

interface Entry {
  version: number;
  body: Blob;
  /** Epoch ms from which the answer may differ even without a write (answers over ranges ending now). */
  expiresAt: number;
}

/**
 * Serialized JSON answers by request (Blobs: immutable, so a response sends one without copying it), least
 * recently used first out, bounded by their total size. An answer is served only while the store's read
 * version of its symbol is the one it was built under (any write of that symbol since, by any process,
 * makes it a miss) and before its expiry, so the cache is never stale, only sometimes cold.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #lookups: Counter<"result">;
  #bytes = 0;

  constructor(maxBytes: number, lookups: Counter<"result">) {
    this.#maxBytes = maxBytes;
    this.#lookups = lookups;
  }

  /** The answer stored for `key` under `version`, if it has not expired at `now`. */
  get(key: string, version: number, now: number): Blob | undefined {
    const entry = this.#entries.get(key);
    if (entry?.version !== version || now >= entry.expiresAt) {
      this.#lookups.inc({ result: "miss" });
      return undefined;
    }
    this.#lookups.inc({ result: "hit" });
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.body;
  }

  /**
   * Keeps `body` for `key` under `version` until `expiresAt` (epoch ms, exclusive; never by default),
   * evicting the least recently used answers beyond the bound.
   */
  set(key: string, version: number, body: Blob, expiresAt = Number.POSITIVE_INFINITY): void {
    if (body.size > this.#maxBytes) return;
    this.#remove(key);
    this.#entries.set(key, { version, body, expiresAt });
    this.#bytes += body.size;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.size;
  }
}
