import { type Config, secretValues } from "../runtime/config/index.ts";
import { createLogger } from "../runtime/logger.ts";

/** The process logger: level and format from config, every configured secret scrubbed from every line. */
export const processLogger = (config: Config) =>
  createLogger({
    level: config.runtime.logLevel,
    format: config.runtime.logFormat,
    secrets: secretValues(config),
  });
