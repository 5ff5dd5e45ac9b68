import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { Logger } from "../../runtime/logger.ts";
import { metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import type { Store } from "../../runtime/store/index.ts";
import { bearerAuth } from "./auth.ts";
import { registerDocs } from "./docs.ts";
import { errorHandler, notFound, validationHook } from "./errors.ts";
import { apiMetrics, requestMetrics } from "./metrics.ts";
import { ResponseCache } from "./response-cache.ts";
import { registerBarsRoute } from "./routes/bars.ts";
import type { ApiOptions } from "./routes/deps.ts";
import { registerStatusRoute } from "./routes/status.ts";
import { registerStreamRoute } from "./routes/stream.ts";
import { registerTradeRoutes } from "./routes/trades.ts";
import type { StreamHub } from "./stream/hub.ts";

export interface ApiAppDeps {
  options: ApiOptions;
  store: Store;
  /** Source of `/v1/stream` events (see `startStreamFeed`). */
  hub: StreamHub;
  registry: Registry;
  logger: Logger;
  /** The wall clock: decides which windows are open and where default ranges end. */
  now?: () => number;
}

const SPEC_PATH = "/openapi.json";

/**
 * The query API: `/v1/*` (bars, trades, symbols, live stream), its OpenAPI 3.1 spec at `/openapi.json`
 * and interactive docs at `/docs`. Every parameter is validated by the route's zod schema.
 */
export const createApiApp = ({
  options,
  store,
  hub,
  registry,
  logger,
  now = Date.now,
}: ApiAppDeps): OpenAPIHono => {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError(errorHandler(logger));
  app.notFound(notFound);

  app.use("/v1/*", requestMetrics(metricsOf(registry, apiMetrics)));
  if (options.corsOrigins.length > 0) {
    app.use(
      "/v1/*",
      cors({
        origin: options.corsOrigins.includes("*") ? "*" : options.corsOrigins,
        allowMethods: ["GET"],
        allowHeaders: ["Authorization", "Last-Event-ID"],
        maxAge: 600,
      }),
    );
  }
  if (options.token !== undefined) {
    app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
    app.use("/v1/*", bearerAuth(options.token));
  }

  const cache =
    options.cacheMb > 0
      ? new ResponseCache(options.cacheMb * 2 ** 20, metricsOf(registry, apiMetrics).cacheLookups)
      : undefined;
  registerBarsRoute(app, { options, store, now, cache });
  registerTradeRoutes(app, { options, store, now, cache });
  registerStreamRoute(app, { options, hub });
  registerStatusRoute(app, { hub, registry, now });

  app.doc31(SPEC_PATH, {
    openapi: "3.1.0",
    info: {
      title: "tickflow",
      version: "1",
      description: "Trades and OHLCV bars, stored and live. Errors: `{ error: { code, message, details } }`.",
    },
    ...(options.token === undefined ? {} : { security: [{ bearer: [] }] }),
  });
  registerDocs(app, SPEC_PATH);
  return app;
};
