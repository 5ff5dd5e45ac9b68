import { z } from "zod";
import { instantMessage, parseInstant } from "../instant.ts";

/** Metadata attached to every leaf of the config schema: where it comes from and how to show it. */
export interface OptionMeta {
  /** Environment variable name. The CLI flag is its kebab-case twin unless `flag` says otherwise. */
  env: string;
  description: string;
  /** Never printed, logged or echoed in an error. */
  secret?: boolean;
  flag?: string;
}

export const option = <T extends z.ZodType>(schema: T, meta: OptionMeta): T => schema.meta({ ...meta });

export const optionMeta = (schema: z.ZodType): OptionMeta | undefined => {
  const meta = schema.meta() as Partial<OptionMeta> | undefined;
  return meta?.env ? (meta as OptionMeta) : undefined;
};

export const flagName = (meta: OptionMeta) => meta.flag ?? meta.env.toLowerCase().replaceAll("_", "-");

const splitList = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** A comma-separated list; `fallback` is used when the variable is absent. */
export const csv = (fallback: string) => z.string().default(fallback).transform(splitList);

/** A comma-separated list that may not be empty (`KAFKA_BROKERS=` names no broker to connect to). */
export const nonEmptyCsv = (fallback: string) =>
  csv(fallback).pipe(z.array(z.string()).min(1, "expected at least one item, comma-separated"));

/** A comma-separated list whose items must each belong to `values`. */
export const csvOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform(splitList)
    .pipe(z.array(z.enum(values)).min(1));

const truthy = new Set(["1", "true", "yes", "on"]);
const falsy = new Set(["0", "false", "no", "off", ""]);

export const bool = (fallback: boolean) =>
  z
    .union([z.boolean(), z.string()])
    .default(fallback)
    .transform((value, ctx) => {
      if (typeof value === "boolean") return value;
      const normal = value.trim().toLowerCase();
      if (truthy.has(normal)) return true;
      if (falsy.has(normal)) return false;
      ctx.addIssue({ code: "custom", message: "expected one of true/false/1/0/yes/no/on/off" });
      return z.NEVER;
    });

const WHOLE_NUMBER = /^[-+]?\d+$/;
const DECIMAL_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * A number written in decimal, as a person writes it: "0x50" and "1e3" are no port 80 or 1000. Absent or
 * empty (`PORT=`) means `fallback`.
 */
const decimal = (pattern: RegExp, expected: string, fallback: number) =>
  z
    .union([z.number(), z.string()])
    .optional()
    .transform((value, ctx) => {
      if (typeof value === "number") return value;
      const text = value?.trim() ?? "";
      if (text === "") return fallback;
      if (pattern.test(text)) return Number(text);
      ctx.addIssue({ code: "custom", message: `expected ${expected}, got "${text}"` });
      return z.NEVER;
    });

export const int = (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  decimal(WHOLE_NUMBER, "a whole number", fallback).pipe(z.number().int().min(min).max(max));

export const num = (fallback: number, { min = 0, max = Number.MAX_VALUE } = {}) =>
  decimal(DECIMAL_NUMBER, "a number", fallback).pipe(z.number().min(min).max(max));

/** A string that must be present and non-empty only if a feature uses it; absent means undefined. */
export const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/** An optional point in time, epoch ms or ISO 8601 with an offset, as epoch ms; absent means undefined. */
export const optionalInstant = () =>
  optionalString().transform((value, ctx) => {
    if (value === undefined) return undefined;
    const ms = parseInstant(value);
    if (Number.isSafeInteger(ms)) return ms;
    ctx.addIssue({ code: "custom", message: instantMessage });
    return z.NEVER;
  });
