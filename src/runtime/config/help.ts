import { type ConfigOption, configOptions } from "./options.ts";

/** An option's default as it would be written in its variable; empty for secrets and absent values. */
export const fallbackText = ({ fallback, meta }: ConfigOption): string => {
  if (meta.secret || fallback === undefined) return "";
  return Array.isArray(fallback) ? fallback.join(",") : String(fallback);
};

/** What an option means, with the values it accepts when it takes one of a list, and whether it is a secret. */
export const meaningText = ({ meta, choices }: ConfigOption): string =>
  `${meta.description}${choices ? ` (one of: ${choices.join(", ")})` : ""}${meta.secret ? " (secret)" : ""}`;

const showFallback = (option: ConfigOption) => {
  const text = fallbackText(option);
  return text === "" ? "" : ` [default: ${text}]`;
};

/** The `--help` text: every option with its variable, flag, meaning and default. */
export const helpText = (usage: string) => {
  const lines = configOptions.map((option) => {
    const { meta, flag } = option;
    const head = `  --${flag}, ${meta.env}`;
    return `${head}\n      ${meaningText(option)}${showFallback(option)}`;
  });
  return `${usage}\n\nEvery option is an environment variable or the flag of the same meaning (the flag wins).\n\n${lines.join("\n")}\n`;
};
