import type { CommandLine } from "../runtime/config/index.ts";
import { migrate } from "./migrate.ts";
import { replay } from "./replay.ts";
import { run } from "./run.ts";
import { simulate } from "./simulate.ts";

/** A command gets the parsed command line and returns the process exit code. */
export type Command = (commandLine: CommandLine) => Promise<number>;

export const commands = { run, replay, simulate, migrate } satisfies Record<string, Command>;

export const isCommand = (name: string): name is keyof typeof commands => Object.hasOwn(commands, name);

export const usage = `usage: bun src/main.ts [command] [options] [files]

commands:
  run (default)   the pipeline: the modules of ROLES, on TRANSPORT, into STORE (bun run dev)
  replay FILE...  replay NDJSON frames or CSV trades through the pipeline; exits 0 once all is durable
  simulate        a Finnhub-compatible WebSocket server with fault switches
  migrate         apply pending store migrations`;
