import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Counter, Gauge, Histogram, latencyBuckets, type Registry } from "../../runtime/metrics/index.ts";

/** Metrics of the HTTP API and its live stream. Obtain them with `metricsOf(registry, apiMetrics)`. */
export const apiMetrics = (registry: Registry) => {
  const registers = [registry];
  return {
    requests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    duration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an HTTP request (for the stream: until its headers are sent)",
      labelNames: ["route", "method"] as const,
      buckets: latencyBuckets,
      registers,
    }),
    cacheLookups: new Counter({
      name: "api_cache_lookups_total",
      help: "Lookups of cached /v1/bars and /v1/trades answers over settled ranges, by result (hit, miss)",
      labelNames: ["result"] as const,
      registers,
    }),
    sseClients: new Gauge({
      name: "sse_clients",
      help: "Clients connected to /v1/stream",
      registers,
    }),
    sseEventsDropped: new Counter({
      name: "sse_events_dropped_total",
      help: "Stream events dropped from the queues of clients disconnected for being too slow",
      registers,
    }),
    sseSlowClients: new Counter({
      name: "sse_slow_clients_disconnected_total",
      help: "Stream clients disconnected because their queue was full",
      registers,
    }),
  };
};

export type ApiMetrics = ReturnType<typeof apiMetrics>;

/** Counts and times requests by route pattern (never the raw path, which would explode the label set). */
export const requestMetrics =
  (metrics: ApiMetrics): MiddlewareHandler =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c, -1);
    const method = c.req.method;
    metrics.requests.inc({ route, method, status: c.res.status });
    metrics.duration.observe({ route, method }, (performance.now() - started) / 1000);
  };
