import { redactConfig } from "../runtime/config/index.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";
import { startPipeline } from "./pipeline.ts";
import { untilDone } from "./until-done.ts";

/** The pipeline until a signal: `bun run dev` locally, one role set per container in production. */
export const run: Command = async ({ config }) => {
  const logger = processLogger(config);
  logger.debug({ config: redactConfig(config) }, "configuration");
  const pipeline = await startPipeline({ config, logger });
  logger.info(
    { roles: config.runtime.roles, transport: config.runtime.transport, store: config.runtime.store },
    `tickflow running (${config.runtime.roles.join(", ")}) on http://localhost:${pipeline.port}`,
  );
  return untilDone(pipeline.runtime, logger);
};
