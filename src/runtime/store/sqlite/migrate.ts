import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { openSqlite } from "./connection.ts";
import { guard } from "./errors.ts";

const defaultFolder = fileURLToPath(new URL("../../../../migrations/sqlite", import.meta.url));

/** Where drizzle's migrator records what it applied (its default table name). */
const JOURNAL = "__drizzle_migrations";

/** Start-up may wait for a concurrent migration of another process; it is not on a hot path. */
const MIGRATION_BUSY_TIMEOUT_MS = 10_000;

/**
 * Pages of a new database file. Over thousands of symbols a commit writes about one leaf page per
 * symbol it touches, so the bytes it writes, and with them the write thread's time blocked on the disk,
 * follow the page size: 2 KiB pages write 35-45% fewer bytes per trade than SQLite's default of 4 KiB.
 * Over a few symbols they cost a few percent more CPU per trade (docs/adr/0003).
 */
const DEFAULT_PAGE_BYTES = 2_048;

export interface MigrateSqliteOptions {
  /** Folder of the drizzle-kit migrations; defaults to the repository's migrations/sqlite. */
  migrationsFolder?: string;
  /** Page size, bytes, if the file is created now (default 2 KiB); an existing file keeps its own. */
  pageBytes?: number;
}

export interface MigrateSqliteResult {
  /** Migrations applied by this call (0 when the schema was already up to date). */
  applied: number;
  /** Migrations recorded in the database after this call. */
  total: number;
}

/**
 * Applies the pending drizzle-kit migrations to the database at `path`, creating it if needed. Applied
 * migrations are recorded in the database, so running it again is a no-op.
 */
export const migrateSqlite = (path: string, options: MigrateSqliteOptions = {}): MigrateSqliteResult => {
  const client = openSqlite(path, {
    busyTimeoutMs: MIGRATION_BUSY_TIMEOUT_MS,
    pageBytes: options.pageBytes ?? DEFAULT_PAGE_BYTES,
  });
  try {
    const recorded = () =>
      guard("migration journal read", () => {
        const exists = client.query("SELECT 1 FROM sqlite_schema WHERE name = ?").get(JOURNAL);
        return exists ? (client.query(`SELECT count(*) AS n FROM ${JOURNAL}`).get() as { n: number }).n : 0;
      });
    const before = recorded();
    const run = () =>
      migrate(drizzle({ client }), { migrationsFolder: options.migrationsFolder ?? defaultFolder });
    guard("migration", () => {
      try {
        run();
      } catch {
        // Another process may have applied the same migration between our read of the journal and our
        // write; a second run sees the journal it left and applies only what is still missing.
        run();
      }
    });
    const total = recorded();
    return { applied: total - before, total };
  } finally {
    client.close();
  }
};
