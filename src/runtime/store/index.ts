import type { Config } from "../config/index.ts";
import type { Logger } from "../logger.ts";
import type { Registry } from "../metrics/index.ts";
import type { Store } from "./types.ts";

export { type CursorPosition, decodeCursor, encodeCursor } from "./cursor.ts";
export type * from "./types.ts";

export interface StoreDeps {
  config: Config;
  logger: Logger;
  registry: Registry;
}

/** Backends by `STORE` value; each loads its client lazily so dev mode never loads cassandra-driver. */
const backends: Record<Config["runtime"]["store"], (deps: StoreDeps) => Promise<Store>> = {
  sqlite: async ({ config, registry }) => {
    const { createSqliteStore, migrateSqlite } = await import("./sqlite/index.ts");
    if (config.cassandra.migrateOnStart)
      migrateSqlite(config.sqlite.path, { pageBytes: config.sqlite.pageSize });
    return createSqliteStore({
      path: config.sqlite.path,
      registry,
      commitHoldMs: config.sqlite.commitHoldMs,
    });
  },
  cassandra: async ({ config, logger, registry }) => {
    const { createCassandraStore } = await import("./cassandra/index.ts");
    return createCassandraStore({ options: config.cassandra, logger, registry });
  },
};

export const createStore = (deps: StoreDeps): Promise<Store> => backends[deps.config.runtime.store](deps);

export interface MigrationResult {
  /** Migrations applied by this run. */
  applied: number;
  /** Migrations recorded in the store after this run. */
  total: number;
}

type MigrationDeps = Omit<StoreDeps, "registry">;

const migrations: Record<Config["runtime"]["store"], (deps: MigrationDeps) => Promise<MigrationResult>> = {
  sqlite: async ({ config }) => {
    const { migrateSqlite } = await import("./sqlite/index.ts");
    return migrateSqlite(config.sqlite.path, { pageBytes: config.sqlite.pageSize });
  },
  cassandra: async ({ config, logger }) => {
    const { migrateCassandra } = await import("./cassandra/index.ts");
    return migrateCassandra(config.cassandra, logger);
  },
};

/** Applies the pending migrations of the configured store; safe to run twice. */
export const migrateStore = (deps: MigrationDeps): Promise<MigrationResult> =>
  migrations[deps.config.runtime.store](deps);
