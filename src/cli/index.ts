import type { CommandLine } from "../runtime/config/index.ts";
import { migrate } from "./migrate.ts";
import { recompute } from "./recompute.ts";
import { replay } from "./replay.ts";
import { rewind } from "./rewind.ts";
import { run } from "./run.ts";
import { simulate } from "./simulate.ts";

/** A command gets the parsed command line and returns the process exit code. */
export type Command = (commandLine: CommandLine) => Promise<number>;

export const commands = {
  run,
  replay,
  simulate,
  migrate,
  rewind,
  recompute,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

export const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

/** The commands that take arguments besides flags (files, symbols); the others refuse any. */
export const takesArguments = (name: CommandName): boolean => name === "replay" || name === "recompute";

export const usage = `usage: bun src/main.ts [command] [options] [files]

commands:
  run (default)      the pipeline: the modules of ROLES, on TRANSPORT, into STORE (bun run dev)
  replay FILE...     replay NDJSON frames or CSV trades through the pipeline; exits 0 once all is durable
  simulate           a Finnhub-compatible WebSocket server with fault switches
  migrate            apply pending store migrations
  rewind             move a stopped consumer group back to a time: --group G --to TIME [--dry-run]
  recompute SYMBOL...  rebuild stored bars from stored trades, rev + 1 where one changed:
                     --from TIME --to TIME [--dry-run]`;
