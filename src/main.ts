#!/usr/bin/env bun
import { commands, isCommand, usage } from "./cli/index.ts";
import { helpText, loadProcessConfig } from "./runtime/config/index.ts";
import { isTickflowError } from "./runtime/errors.ts";

/** `tickflow [command] [flags] [args]`: the command defaults to `run` (the pipeline). */
const main = async () => {
  const argv = Bun.argv.slice(2);
  const name = argv[0] !== undefined && isCommand(argv[0]) ? argv[0] : "run";
  const rest = name === argv[0] ? argv.slice(1) : argv;
  const commandLine = loadProcessConfig(rest);
  if (commandLine.help) {
    process.stdout.write(helpText(usage));
    return 0;
  }
  return commands[name](commandLine);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isTickflowError(error) && error.code === "CONFIG_INVALID") {
      process.stderr.write(`tickflow: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `tickflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
