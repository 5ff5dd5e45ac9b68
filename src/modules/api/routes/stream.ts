import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ACCESS_TOKEN_PARAM } from "../auth.ts";
import { errorResponses, symbolSchema } from "../schemas/common.ts";
import { eventIdPattern } from "../stream/frames.ts";
import type { StreamHub } from "../stream/hub.ts";
import type { ApiOptions } from "./deps.ts";

/** The distinct symbols of a comma-separated list. */
const splitSymbols = (value: string) => [
  ...new Set(
    value
      .split(",")
      .map((symbol) => symbol.trim())
      .filter((symbol) => symbol.length > 0),
  ),
];

const streamQuery = (maxSymbols: number) =>
  z.object({
    symbols: z
      .string()
      .transform(splitSymbols)
      .pipe(z.array(symbolSchema).min(1).max(maxSymbols))
      .openapi({
        description: `Comma-separated symbols to watch (at most ${maxSymbols})`,
        example: "AAPL,MSFT",
      }),
    [ACCESS_TOKEN_PARAM]: z
      .string()
      .optional()
      .openapi({ description: "The bearer token, for clients that cannot send headers (EventSource)" }),
  });

const streamHeaders = z.object({
  "last-event-id": z
    .string()
    .regex(eventIdPattern, "expected the id of an event of this stream")
    .optional()
    .openapi({
      description: "Last-Event-ID: resume after this event; missed events come first, or a `resync` event",
    }),
});

const description = `Server-Sent Events, each with an id:
- \`trade\`: \`{ symbol, id, t, p, v, c, processed_at }\`
- \`bar\`: a 1-minute bar update \`{ symbol, t, T, o, h, l, c, v, n, vw, volatility, final, rev }\`
- \`heartbeat\`: \`{ t }\`, periodically
- \`resync\`: \`{ reason }\`: events after Last-Event-ID are gone; re-query, then go on from this event

A client that reads too slowly is disconnected; it reconnects with Last-Event-ID.`;

export const registerStreamRoute = (
  app: OpenAPIHono,
  { options, hub }: { options: ApiOptions; hub: StreamHub },
) =>
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/stream",
      tags: ["live"],
      summary: "Live trades and bars",
      description,
      request: { query: streamQuery(options.maxStreamSymbols), headers: streamHeaders },
      responses: {
        200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    (c) => {
      const { symbols } = c.req.valid("query");
      const lastEventId = c.req.valid("header")["last-event-id"];
      return new Response(hub.connect(symbols, lastEventId), {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          "x-accel-buffering": "no",
        },
      });
    },
  );
