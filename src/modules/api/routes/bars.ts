import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { DAY_MS, type Timespan, timespanMs } from "../../bars/index.ts";
import { hasEnded, queryBarsPage } from "../bars/page.ts";
import { badParameter } from "../errors.ts";
import { resolveRange } from "../range.ts";
import { barsParams, barsQuery, barsResponse } from "../schemas/bars.ts";
import { errorResponses } from "../schemas/common.ts";
import { cachedJson } from "./cached-json.ts";
import type { QueryRouteDeps } from "./deps.ts";

/** Range when `from` is not given: enough windows to be useful at each resolution. */
const defaultLookbackMs: Record<Timespan, number> = { minute: DAY_MS, hour: 30 * DAY_MS, day: 365 * DAY_MS };

const route = createRoute({
  method: "get",
  path: "/v1/bars/{symbol}",
  tags: ["market data"],
  summary: "OHLCV bars of one symbol",
  description:
    "Bars of `multiplier` x `timespan`, windows aligned to UTC, rolled up exactly from the stored 1-minute " +
    "bars. Windows whose start lies in [from, to) are returned whole. A page never splits a window.",
  request: { params: barsParams, query: barsQuery },
  responses: {
    200: { description: "A page of bars", content: { "application/json": { schema: barsResponse } } },
    ...errorResponses,
  },
});

export const registerBarsRoute = (app: OpenAPIHono, deps: QueryRouteDeps) =>
  app.openapi(route, async (c) => {
    const { options, store, now: clock } = deps;
    const { symbol } = c.req.valid("param");
    const query = c.req.valid("query");
    const now = clock();
    const maxRangeMs = options.maxRangeDays * DAY_MS;
    const size = query.multiplier * timespanMs[query.timespan];
    if (size > maxRangeMs) {
      throw badParameter("multiplier", `a window may span at most ${options.maxRangeDays} days`);
    }
    const range = resolveRange(query, {
      lookbackMs: defaultLookbackMs[query.timespan],
      maxRangeDays: options.maxRangeDays,
      now,
    });
    const settled = query.to !== undefined && hasEnded(range.to, size, now);
    const caching = settled ? { key: JSON.stringify(["bars", symbol, query, range]), symbol } : undefined;
    return cachedJson(c, deps, caching, async () => {
      const page = await queryBarsPage(
        store,
        { ...query, ...range, symbol, includeOpen: query.include_open },
        { now, lookbackMs: maxRangeMs },
      );
      return {
        symbol,
        multiplier: query.multiplier,
        timespan: query.timespan,
        results: page.results,
        next_cursor: page.nextCursor,
      };
    });
  });
