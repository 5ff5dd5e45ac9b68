import { z } from "zod";
import { flagName, type OptionMeta, optionMeta } from "./fields.ts";
import { configSchema } from "./schema.ts";

/** One configurable value: where it lives in the config object and where it is read from. */
export interface ConfigOption {
  path: readonly string[];
  meta: OptionMeta;
  flag: string;
  schema: z.ZodType;
  /** The value used when neither the variable nor the flag is given. */
  fallback: unknown;
  isBoolean: boolean;
  /** The values it accepts, when it takes one of a list (TRANSPORT: memory or kafka). */
  choices: readonly string[] | undefined;
}

const choicesOf = (schema: z.ZodType): readonly string[] | undefined => {
  const inner = schema instanceof z.ZodDefault ? schema.unwrap() : schema;
  return inner instanceof z.ZodEnum ? inner.options.map(String) : undefined;
};

const collect = (schema: z.ZodObject, prefix: readonly string[]): ConfigOption[] =>
  Object.entries(schema.shape).flatMap(([key, child]) => {
    const path = [...prefix, key];
    if (child instanceof z.ZodObject) return collect(child, path);
    const meta = optionMeta(child as z.ZodType);
    if (!meta) throw new Error(`config field ${path.join(".")} has no env metadata`);
    const fallback = (child as z.ZodType).safeParse(undefined).data;
    return [
      {
        path,
        meta,
        flag: flagName(meta),
        schema: child as z.ZodType,
        fallback,
        isBoolean: typeof fallback === "boolean",
        choices: choicesOf(child as z.ZodType),
      },
    ];
  });

/** Every option of the config schema, in declaration order. */
export const configOptions: readonly ConfigOption[] = collect(configSchema, []);

export const secretEnvNames: ReadonlySet<string> = new Set(
  configOptions.filter((option) => option.meta.secret).map((option) => option.meta.env),
);
