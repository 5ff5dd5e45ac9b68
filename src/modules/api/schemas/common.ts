import { z } from "@hono/zod-openapi";
import { instantMessage, parseInstant } from "../../../runtime/instant.ts";
import { symbolPattern } from "../../contracts/index.ts";

/** Highest `limit` of any list endpoint. */
export const MAX_LIMIT = 50_000;

export const symbolSchema = z
  .string()
  .regex(symbolPattern, "expected a symbol such as AAPL or BINANCE:BTCUSDT");

export const symbolParams = z.object({
  symbol: symbolSchema.openapi({ param: { name: "symbol", in: "path" }, example: "AAPL" }),
});

export const instantSchema = (description: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const ms = parseInstant(value);
      if (Number.isSafeInteger(ms)) return ms;
      ctx.addIssue({ code: "custom", message: instantMessage });
      return z.NEVER;
    })
    .optional()
    .openapi({ description, examples: ["1381132800000", "2013-10-07T08:00:00Z", "2013-10-07"] });

export const limitSchema = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(fallback)
    .openapi({ description: `Most results in one page (1 to ${MAX_LIMIT})`, example: fallback });

export const sortSchema = (fallback: "asc" | "desc") =>
  z.enum(["asc", "desc"]).default(fallback).openapi({ description: "Time order of the results" });

export const cursorSchema = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .openapi({ description: "`next_cursor` of the previous page; continues in the same direction" });

export const booleanSchema = (description: string) =>
  z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1")
    .openapi({ description });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "BAD_REQUEST" }),
      message: z.string(),
      details: z
        .array(z.object({ parameter: z.string(), in: z.string().optional(), message: z.string() }))
        .optional()
        .openapi({ description: "For a 400: each rejected parameter" }),
    }),
  })
  .openapi("Error");

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});

/** The error answers every `/v1` route can give. */
export const errorResponses = {
  400: errorContent("A parameter is invalid; `details` names it"),
  401: errorContent("A bearer token is required (only when the server has one)"),
  503: errorContent("The store is unavailable"),
} as const;
