import { migrateStore } from "../runtime/store/index.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";

/** Applies pending migrations of the configured store and reports what it did. */
export const migrate: Command = async ({ config }) => {
  const logger = processLogger(config);
  const { applied, total } = await migrateStore({ config, logger });
  logger.info(
    { store: config.runtime.store, applied, total },
    `migrations: ${applied} applied, ${total} in all`,
  );
  return 0;
};
