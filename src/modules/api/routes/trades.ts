import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { DAY_MS } from "../../bars/index.ts";
import { resolveRange } from "../range.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  symbolsResponse,
  type TradesPage,
  tradesParams,
  tradesQuery,
  tradesResponse,
} from "../schemas/trades.ts";
import { tradeView } from "../views.ts";
import { cachedJson } from "./cached-json.ts";
import type { QueryRouteDeps } from "./deps.ts";
import { tradesCaching } from "./trades-caching.ts";

const tradesRoute = createRoute({
  method: "get",
  path: "/v1/trades/{symbol}",
  tags: ["market data"],
  summary: "Trades of one symbol",
  description:
    "Trades with from <= t < to, newest first by default; `next_cursor` continues in the same order.",
  request: { params: tradesParams, query: tradesQuery },
  responses: {
    200: { description: "A page of trades", content: { "application/json": { schema: tradesResponse } } },
    ...errorResponses,
  },
});

const symbolsRoute = createRoute({
  method: "get",
  path: "/v1/symbols",
  tags: ["market data"],
  summary: "Every symbol with stored trades",
  responses: {
    200: { description: "The symbols", content: { "application/json": { schema: symbolsResponse } } },
    ...errorResponses,
  },
});

export const registerTradeRoutes = (app: OpenAPIHono, deps: QueryRouteDeps) => {
  const { options, store, now } = deps;
  app.openapi(tradesRoute, async (c) => {
    const { symbol } = c.req.valid("param");
    const { limit, sort, cursor, ...times } = c.req.valid("query");
    const range = resolveRange(times, {
      lookbackMs: DAY_MS,
      maxRangeDays: options.maxRangeDays,
      now: now(),
    });
    const caching = tradesCaching(store, { symbol, limit, sort, cursor, ...times, range });
    return cachedJson(c, deps, caching, async (): Promise<TradesPage> => {
      const page = await store.queryTrades({ symbol, ...range, limit, sort, cursor });
      return { symbol, results: page.results.map(tradeView), next_cursor: page.nextCursor };
    });
  });

  app.openapi(symbolsRoute, async (c) => {
    const symbols = await store.symbols();
    const results = symbols.map((summary) => ({
      symbol: summary.symbol,
      last_price: summary.lastPrice,
      last_trade_at: summary.lastTradeAt,
      trades_today: summary.tradesToday,
    }));
    return c.json({ results }, 200);
  });
};
