import type { ConfigOption } from "./options.ts";
import { configOptions } from "./options.ts";
import type { Config } from "./schema.ts";

export const REDACTED = "[redacted]";

const secretOptions: readonly ConfigOption[] = configOptions.filter((option) => option.meta.secret);

/** A copy of the config safe to log: every secret that is set is replaced by a marker. */
export const redactConfig = (config: Config): unknown => {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const { path } of secretOptions) {
    const [section, key] = path as [string, string];
    const value = copy[section]?.[key];
    const isSet = Array.isArray(value) ? value.length > 0 : value !== undefined;
    if (isSet) copy[section]![key] = REDACTED;
  }
  return copy;
};

/** Every secret value present in the config, for scrubbing free text such as URLs in error messages. */
export const secretValues = (config: Config): string[] =>
  secretOptions.flatMap(({ path }) => {
    const [section, key] = path as [string, string];
    const value = (config as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
    const values = Array.isArray(value) ? value : [value];
    return values.filter((item): item is string => typeof item === "string" && item.length > 0);
  });

/** Replaces every occurrence of a secret in `text`. */
export const scrubSecrets = (text: string, secrets: readonly string[]) =>
  secrets.reduce((result, secret) => result.replaceAll(secret, REDACTED), text);
