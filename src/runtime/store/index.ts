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
  sqlite: async ({ config }) => {
    const { createSqliteStore } = await import("./sqlite/index.ts");
    return createSqliteStore({ path: config.sqlite.path });
  },
  cassandra: async ({ config, logger, registry }) => {
    const { createCassandraStore } = await import("./cassandra/index.ts");
    return createCassandraStore({ options: config.cassandra, logger, registry });
  },
};

export const createStore = (deps: StoreDeps): Promise<Store> => backends[deps.config.runtime.store](deps);
