import { z } from "@hono/zod-openapi";
import {
  booleanSchema,
  cursorSchema,
  instantSchema,
  limitSchema,
  sortSchema,
  symbolParams,
  symbolSchema,
} from "./common.ts";

export const timespans = ["minute", "hour", "day"] as const;
export const fillModes = ["none", "null", "prev"] as const;
export type FillMode = (typeof fillModes)[number];

export const barsParams = symbolParams;

export const barsQuery = z.object({
  multiplier: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1)
    .openapi({ description: "Window size in units of `timespan` (5 + minute = 5-minute bars)" }),
  timespan: z.enum(timespans).default("minute").openapi({ description: "Unit of the window size" }),
  from: instantSchema("Earliest window start (inclusive); default: `to` minus 1 day, 30 days or 1 year"),
  to: instantSchema("Latest window start (exclusive); default: now"),
  limit: limitSchema(5_000),
  sort: sortSchema("asc"),
  include_open: booleanSchema("Include windows still open (provisional bars, `final: false`)"),
  fill: z
    .enum(fillModes)
    .default("none")
    .openapi({
      description:
        "Windows without trades: none = no bar; null = a bar with n = 0 and null prices; " +
        "prev = a bar at the previous close. Filled bars have `filled: true`",
    }),
  cursor: cursorSchema,
});

const price = z.number().nullable();

export const barSchema = z
  .object({
    t: z.number().int().openapi({ description: "Window start, epoch ms (aligned to UTC)" }),
    T: z.number().int().openapi({ description: "Window end, epoch ms, exclusive" }),
    o: price,
    h: price,
    l: price,
    c: price,
    v: z.number().openapi({ description: "Volume" }),
    n: z.number().int().openapi({ description: "Number of trades" }),
    vw: z.number().nullable().openapi({ description: "Volume-weighted average price; null when v is 0" }),
    volatility: z.number().nullable().openapi({ description: "Sample standard deviation of prices" }),
    final: z.boolean().openapi({ description: "False while the window is open" }),
    rev: z.number().int().openapi({ description: "Corrections the window had (late trades)" }),
    filled: z.boolean().optional().openapi({ description: "Present and true on bars made by `fill`" }),
  })
  .openapi("Bar");

export type ApiBar = z.infer<typeof barSchema>;

export const barsResponse = z
  .object({
    symbol: symbolSchema,
    multiplier: z.number().int(),
    timespan: z.enum(timespans),
    results: z.array(barSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi("Bars");
