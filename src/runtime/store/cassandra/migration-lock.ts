import type { types } from "cassandra-driver";
import { TickflowError } from "../../errors.ts";
import { sleep } from "../../retry.ts";

/** A holder that died keeps the lock at most this long. */
const LOCK_TTL_SECONDS = 120;
const POLL_MS = 250;
const LOCK_ID = "migrate";

/** The runner's own tables: which migrations were applied, and who may apply them right now. */
export const runnerTables = (keyspace: string) => [
  `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (
    name text PRIMARY KEY, checksum text, applied_at timestamp)`,
  `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations_lock (
    id text PRIMARY KEY, owner text, acquired_at timestamp)`,
];

/** Executes one statement (prepared when it has parameters), failing with a TickflowError. */
export type RunStatement = (statement: string, params?: unknown[]) => Promise<types.ResultSet>;

export interface MigrationLock {
  /** Extends the lease before the next migration; throws if another process took the lock meanwhile. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the keyspace's migration lock: a lightweight-transaction row with a TTL, so only one process
 * applies migrations at a time, and a crashed one cannot block the others for longer than the TTL.
 */
export const acquireMigrationLock = async (
  run: RunStatement,
  keyspace: string,
  owner: string,
  timeoutMs: number,
): Promise<MigrationLock> => {
  const table = `${keyspace}.schema_migrations_lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = await run(
      `INSERT INTO ${table} (id, owner, acquired_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ${LOCK_TTL_SECONDS}`,
      [LOCK_ID, owner, new Date()],
    );
    if (taken.wasApplied()) break;
    if (Date.now() > deadline) {
      const holder = taken.first()?.get("owner");
      throw new TickflowError("STORE_TIMEOUT", `migration lock of ${keyspace} is still held by ${holder}`);
    }
    await sleep(POLL_MS + Math.random() * POLL_MS);
  }
  const ifStillOwner = async (statement: string, params: unknown[], action: string) => {
    const result = await run(statement, params);
    if (!result.wasApplied()) {
      throw new TickflowError(
        "STORE_REJECTED",
        `lost the migration lock of ${keyspace} while trying to ${action}`,
      );
    }
  };
  return {
    renew: () =>
      ifStillOwner(
        `UPDATE ${table} USING TTL ${LOCK_TTL_SECONDS} SET owner = ? WHERE id = ? IF owner = ?`,
        [owner, LOCK_ID, owner],
        "apply a migration",
      ),
    release: () =>
      ifStillOwner(`DELETE FROM ${table} WHERE id = ? IF owner = ?`, [LOCK_ID, owner], "release it"),
  };
};
