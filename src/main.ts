#!/usr/bin/env bun
import { commands, isCommand, takesArguments, usage } from "./cli/index.ts";
import { helpText, loadProcessConfig } from "./runtime/config/index.ts";
import { isTickflowError, TickflowError } from "./runtime/errors.ts";

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
  const { positionals } = commandLine;
  if (positionals.length > 0 && !takesArguments(name)) {
    // `bun src/main.ts migrat` must not start the pipeline it defaults to.
    const what = name === argv[0] ? `${name} takes no arguments` : "unknown command";
    throw new TickflowError("CONFIG_INVALID", `${what}: ${positionals.join(" ")} (see --help)`);
  }
  return commands[name](commandLine);
};

/** A failure tickflow raised on purpose (a bad setting, a store out of reach) says all in its message. */
const describeFailure = (error: unknown): string => {
  if (isTickflowError(error)) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tickflow: ${describeFailure(error)}\n`);
    process.exit(isTickflowError(error) && error.code === "CONFIG_INVALID" ? 2 : 1);
  },
);
