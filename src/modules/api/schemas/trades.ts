import { z } from "@hono/zod-openapi";
import {
  cursorSchema,
  instantSchema,
  limitSchema,
  sortSchema,
  symbolParams,
  symbolSchema,
} from "./common.ts";

export const tradesParams = symbolParams;

export const tradesQuery = z.object({
  from: instantSchema("Earliest trade time (inclusive); default: `to` minus 1 day"),
  to: instantSchema("Latest trade time (exclusive); default: now"),
  limit: limitSchema(1_000),
  sort: sortSchema("desc"),
  cursor: cursorSchema,
});

export const tradeSchema = z
  .object({
    id: z.string().openapi({ description: "Trade id, deterministic from its source" }),
    t: z.number().int().openapi({ description: "Event time, epoch ms" }),
    p: z.number().openapi({ description: "Price" }),
    v: z.number().openapi({ description: "Volume (0 for a price update)" }),
    c: z.array(z.string()).openapi({ description: "Trade conditions" }),
    processed_at: z.number().int().openapi({ description: "Epoch ms when ingest accepted the trade" }),
  })
  .openapi("Trade");

export const tradesResponse = z
  .object({ symbol: symbolSchema, results: z.array(tradeSchema), next_cursor: z.string().nullable() })
  .openapi("Trades");

/** The body of a 200 of `/v1/trades/{symbol}`. */
export type TradesPage = z.infer<typeof tradesResponse>;

export const symbolsResponse = z
  .object({
    results: z.array(
      z.object({
        symbol: symbolSchema,
        last_price: z.number(),
        last_trade_at: z.number().int().openapi({ description: "Event time of the latest trade, epoch ms" }),
        trades_today: z.number().int().openapi({
          description: "Trades since 00:00 UTC, counted by today's stored 1-minute bars (open ones included)",
        }),
      }),
    ),
  })
  .openapi("Symbols");
