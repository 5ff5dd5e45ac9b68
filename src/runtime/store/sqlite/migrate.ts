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

export interface MigrateSqliteOptions {
  /** Folder of the drizzle-kit migrations; defaults to the repository's migrations/sqlite. */
  migrationsFolder?: string;
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
  const client = openSqlite(path, { busyTimeoutMs: MIGRATION_BUSY_TIMEOUT_MS });
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
