import { z } from "@hono/zod-openapi";
import { symbolSchema } from "./common.ts";

export const statusResponse = z
  .object({
    now: z.number().int().openapi({ description: "The server's clock, epoch ms" }),
    trades_per_second: z
      .number()
      .openapi({ description: "Trades the live stream carried per second, over the last 10 s" }),
    stream_clients: z.number().int().openapi({ description: "Clients connected to /v1/stream" }),
    websocket: z
      .object({
        connected: z.number().int().openapi({ description: "Source connections open" }),
        connections: z.number().int().openapi({ description: "Source connections this process runs" }),
      })
      .nullable()
      .openapi({ description: "The ingest WebSocket connections; null when this process runs no ingest" }),
    consumer_lag: z.number().nullable().openapi({
      description: "Kafka messages not yet committed, over every partition and group; null without Kafka",
    }),
    symbols: z.array(
      z.object({
        symbol: symbolSchema,
        last_trade_at: z.number().int().openapi({ description: "Event time of the latest trade, epoch ms" }),
        age_ms: z.number().int().openapi({ description: "now - last_trade_at" }),
        lag_ms: z
          .number()
          .openapi({ description: "How long after ingest that trade reached the live stream, ms" }),
      }),
    ),
  })
  .openapi("Status");
