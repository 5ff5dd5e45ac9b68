import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { guard } from "./errors.ts";

/**
 * bun:sqlite is synchronous: while SQLite waits for a lock held by another connection, the whole event
 * loop waits. So the wait stays short and callers retry asynchronously with backoff instead.
 */
const BUSY_TIMEOUT_MS = 50;

export interface OpenOptions {
  /** How long one statement waits for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Bytes of the file read through a memory map instead of read() calls (0: none). */
  mmapBytes?: number;
  /** WAL bytes after which a commit checkpoints, whatever the page size (SQLite's default: 1,000 pages). */
  checkpointBytes?: number;
  /** Most memory the page cache of this connection takes (default 32 MiB). */
  cacheBytes?: number;
  /** Page size, bytes, if this call creates the file (an existing file keeps its own; default 4 KiB). */
  pageBytes?: number;
}

const CACHE_BYTES = 32 * 2 ** 20;

/**
 * Opens (creating it and its folder) a database file in WAL mode. synchronous=NORMAL keeps every commit
 * across a process crash and loses at most the last commits on power loss (docs/adr/0003).
 */
export const openSqlite = (path: string, options: OpenOptions = {}): Database =>
  guard(`open of ${path}`, () => {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { create: true, strict: true });
    try {
      db.run(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
      // Before the first write (switching to WAL writes the header), or it is ignored.
      if (options.pageBytes !== undefined) db.run(`PRAGMA page_size = ${options.pageBytes}`);
      db.run("PRAGMA journal_mode = WAL");
      db.run("PRAGMA synchronous = NORMAL");
      db.run("PRAGMA temp_store = MEMORY");
      // A negative cache_size is in KiB.
      db.run(`PRAGMA cache_size = -${Math.round((options.cacheBytes ?? CACHE_BYTES) / 1_024)}`);
      db.run("PRAGMA journal_size_limit = 67108864");
      db.run(`PRAGMA mmap_size = ${options.mmapBytes ?? 0}`);
      if (options.checkpointBytes !== undefined) {
        const { page_size } = db.query("PRAGMA page_size").get() as { page_size: number };
        db.run(`PRAGMA wal_autocheckpoint = ${Math.ceil(options.checkpointBytes / page_size)}`);
      }
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  });
