import { type ConfigOption, configOptions } from "./options.ts";

/** An option's default as it would be written in its variable; empty for secrets and absent values. */
export const fallbackText = ({ fallback, meta }: ConfigOption): string => {
  if (meta.secret || fallback === undefined) return "";
  return Array.isArray(fallback) ? fallback.join(",") : String(fallback);
};

const showFallback = (option: ConfigOption) => {
  const text = fallbackText(option);
  return text === "" ? "" : ` [default: ${text}]`;
};

/** The `--help` text: every option with its variable, flag, meaning and default. */
export const helpText = (usage: string) => {
  const lines = configOptions.map((option) => {
    const { meta, flag } = option;
    const head = `  --${flag}, ${meta.env}`;
    return `${head}\n      ${meta.description}${showFallback(option)}${meta.secret ? " (secret)" : ""}`;
  });
  return `${usage}\n\nEvery option is an environment variable or the flag of the same meaning (the flag wins).\n\n${lines.join("\n")}\n`;
};
