import { type CommandLine, loadConfig } from "./load.ts";

/** The command line and environment of this process: the one place that reads `process.env`. */
export const loadProcessConfig = (argv: readonly string[]): CommandLine => loadConfig(argv, process.env);
