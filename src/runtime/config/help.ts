import { configOptions } from "./options.ts";

const showFallback = (fallback: unknown, secret: boolean | undefined) => {
  if (secret || fallback === undefined || (Array.isArray(fallback) && fallback.length === 0)) return "";
  const text = Array.isArray(fallback) ? fallback.join(",") : String(fallback);
  return text === "" ? "" : ` [default: ${text}]`;
};

/** The `--help` text: every option with its variable, flag, meaning and default. */
export const helpText = (usage: string) => {
  const lines = configOptions.map(({ meta, flag, fallback }) => {
    const head = `  --${flag}, ${meta.env}`;
    return `${head}\n      ${meta.description}${showFallback(fallback, meta.secret)}${meta.secret ? " (secret)" : ""}`;
  });
  return `${usage}\n\nEvery option is an environment variable or the flag of the same meaning (the flag wins).\n\n${lines.join("\n")}\n`;
};
