import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import type { Client } from "cassandra-driver";
import type { Config } from "../../config/index.ts";
import { TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { type CassandraConnection, connectCassandra } from "./client.ts";
import { toStoreError } from "./errors.ts";
import { acquireMigrationLock, type RunStatement, runnerTables } from "./migration-lock.ts";
import { type CqlMigration, loadMigrations } from "./migrations.ts";

const defaultFolder = fileURLToPath(new URL("../../../../migrations/cassandra", import.meta.url));

export interface MigrateCassandraOptions
  extends CassandraConnection,
    Pick<Config["cassandra"], "keyspace" | "replication"> {
  /** Folder of the `NNNN_name.cql` migrations; defaults to the repository's migrations/cassandra. */
  migrationsFolder?: string;
  /** An open session to use (the store shares its own); otherwise one is opened and closed here. */
  client?: Client;
  /** Longest wait for another process that is applying migrations; default 2 minutes. */
  lockTimeoutMs?: number;
}

export interface MigrateCassandraResult {
  /** Migrations applied by this call (0 when the schema was already up to date). */
  applied: number;
  /** Migrations recorded in the keyspace after this call. */
  total: number;
}

/**
 * Applies the pending CQL migrations and records each in `<keyspace>.schema_migrations`. Safe to run
 * twice and from several processes at once: the first migration (the keyspace, `IF NOT EXISTS`) and
 * the runner's tables are created idempotently, then a lightweight-transaction lock lets one process at
 * a time apply the rest. DDL waits for schema agreement (the driver's default) before it is recorded.
 */
export const migrateCassandra = async (
  options: MigrateCassandraOptions,
  logger: Logger,
): Promise<MigrateCassandraResult> => {
  const migrations = await loadMigrations(options.migrationsFolder ?? defaultFolder);
  const client = options.client ?? (await connectCassandra(options));
  const run: RunStatement = (statement, params) =>
    client.execute(statement, params, { prepare: params !== undefined }).catch((error: unknown) => {
      throw toStoreError(error, `migration statement ${statement.split("\n")[0]}`);
    });
  try {
    const variables = { keyspace: options.keyspace, replication: options.replication };
    const [bootstrap] = migrations;
    for (const statement of bootstrap?.statements(variables) ?? []) await run(statement);
    for (const statement of runnerTables(options.keyspace)) await run(statement);

    const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    const lock = await acquireMigrationLock(run, options.keyspace, owner, options.lockTimeoutMs ?? 120_000);
    try {
      const recorded = await appliedChecksums(run, options.keyspace);
      let applied = 0;
      for (const migration of migrations) {
        if (verified(migration, recorded.get(migration.name))) continue;
        await lock.renew();
        if (migration !== bootstrap)
          for (const statement of migration.statements(variables)) await run(statement);
        await run(
          `INSERT INTO ${options.keyspace}.schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)`,
          [migration.name, migration.checksum, new Date()],
        );
        logger.info({ keyspace: options.keyspace, migration: migration.name }, "applied Cassandra migration");
        applied++;
      }
      return { applied, total: recorded.size + applied };
    } finally {
      // A lock we cannot release expires with its TTL; the migration outcome matters more.
      await lock
        .release()
        .catch((error: unknown) => logger.warn({ err: error }, "could not release the migration lock"));
    }
  } finally {
    if (!options.client) await client.shutdown();
  }
};

const appliedChecksums = async (run: RunStatement, keyspace: string) => {
  const result = await run(`SELECT name, checksum FROM ${keyspace}.schema_migrations`);
  return new Map(result.rows.map((row) => [row.get("name") as string, row.get("checksum") as string]));
};

/** True when `migration` was applied; an applied migration whose file changed since is an error. */
const verified = (migration: CqlMigration, checksum: string | undefined) => {
  if (checksum === undefined) return false;
  if (checksum !== migration.checksum) {
    throw new TickflowError(
      "STORE_REJECTED",
      `Cassandra migration ${migration.name} changed after it was applied; add a new migration instead`,
    );
  }
  return true;
};
