import type { Counter } from "../../runtime/metrics/index.ts";

interface Entry {
  version: number;
  body: Blob;
}

/**
 * Serialized JSON answers by request (Blobs: immutable, so a response sends one without copying it), least recently used first out, bounded by their total size. An
 * answer is served only while the store's read version is the one it was built under: any write since
 * (by any process) makes it a miss, so the cache is never stale, only sometimes cold.
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

  /** The answer stored for `key` under `version`. */
  get(key: string, version: number): Blob | undefined {
    const entry = this.#entries.get(key);
    if (entry?.version !== version) {
      this.#lookups.inc({ result: "miss" });
      return undefined;
    }
    this.#lookups.inc({ result: "hit" });
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.body;
  }

  /** Keeps `body` for `key` under `version`, evicting the least recently used answers beyond the bound. */
  set(key: string, version: number, body: Blob): void {
    if (body.size > this.#maxBytes) return;
    this.#remove(key);
    this.#entries.set(key, { version, body });
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
