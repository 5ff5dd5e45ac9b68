import { TickflowError } from "../errors.ts";
import { type ConfigOption, configOptions } from "./options.ts";
import { type Config, configSchema } from "./schema.ts";

export interface CommandLine {
  config: Config;
  /** Arguments that are not flags, e.g. the files of `replay`. */
  positionals: string[];
  help: boolean;
}

type Env = Record<string, string | undefined>;

const byFlag = new Map(configOptions.map((option) => [option.flag, option]));
const byPath = new Map(configOptions.map((option) => [option.path.join("."), option]));

const unknownFlag = (flag: string) =>
  new TickflowError("CONFIG_INVALID", `unknown flag --${flag} (see --help)`, { details: { flag } });

const readFlags = (argv: readonly string[]) => {
  const values = new Map<ConfigOption, string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = byFlag.get(name);
    if (!option) throw unknownFlag(name);
    if (eq !== -1) values.set(option, arg.slice(eq + 1));
    else if (option.isBoolean) values.set(option, "true");
    else {
      const next = argv[++i];
      if (next === undefined) {
        throw new TickflowError("CONFIG_INVALID", `--${name} (${option.meta.env}) needs a value`);
      }
      values.set(option, next);
    }
  }
  return { values, positionals, help };
};

const setPath = (target: Record<string, unknown>, path: readonly string[], value: unknown) => {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  if (value !== undefined) node[path.at(-1)!] = value;
};

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

/**
 * Reads every option from CLI flags (first) or environment variables, validates the whole set with the
 * config schema and returns it frozen. Invalid values throw CONFIG_INVALID naming each variable; the
 * values of secrets are never echoed.
 */
export const loadConfig = (argv: readonly string[] = [], env: Env = {}): CommandLine => {
  const flags = readFlags(argv);
  const raw: Record<string, unknown> = {};
  for (const option of configOptions) {
    const value = flags.values.get(option) ?? env[option.meta.env];
    setPath(raw, option.path, value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const option = byPath.get(issue.path.slice(0, 2).join("."));
      const name = option ? `${option.meta.env} (--${option.flag})` : issue.path.join(".");
      return `${name}: ${issue.message}`;
    });
    throw new TickflowError("CONFIG_INVALID", `invalid configuration:\n  ${problems.join("\n  ")}`, {
      details: problems,
    });
  }
  return { config: deepFreeze(parsed.data), positionals: flags.positionals, help: flags.help };
};
