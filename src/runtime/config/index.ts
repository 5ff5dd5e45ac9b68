export { fallbackText, helpText, meaningText } from "./help.ts";
export { type CommandLine, loadConfig } from "./load.ts";
export { type ConfigOption, configOptions } from "./options.ts";
export { loadProcessConfig } from "./process.ts";
export { REDACTED, redactConfig, scrubSecrets, secretValues } from "./redact.ts";
export { type Config, configSchema, type Role, roles } from "./schema.ts";
