import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Registry } from "../../../runtime/metrics/index.ts";
import { errorResponses } from "../schemas/common.ts";
import { statusResponse } from "../schemas/status.ts";
import type { StreamHub } from "../stream/hub.ts";

const route = createRoute({
  method: "get",
  path: "/v1/status",
  tags: ["live"],
  summary: "Pipeline health at a glance",
  description:
    "Trade rate and each symbol's latest trade as the live stream saw them, plus the ingest connections " +
    "and Kafka consumer lag when this process has them. For dashboards; `/metrics` has the full picture.",
  responses: {
    200: { description: "The status", content: { "application/json": { schema: statusResponse } } },
    ...errorResponses,
  },
});

/** The samples of a metric this process registered, or undefined when no module of it did. */
const samples = async (registry: Registry, name: string) => {
  const metric = registry.getSingleMetric(name);
  return metric === undefined ? undefined : (await metric.get()).values;
};

const websocketState = async (registry: Registry) => {
  const values = await samples(registry, "websocket_connected");
  if (values === undefined) return null;
  return { connected: values.filter((sample) => sample.value === 1).length, connections: values.length };
};

const consumerLag = async (registry: Registry) => {
  const values = await samples(registry, "kafka_consumer_lag");
  return values === undefined ? null : values.reduce((sum, sample) => sum + sample.value, 0);
};

export const registerStatusRoute = (
  app: OpenAPIHono,
  { hub, registry, now: clock }: { hub: StreamHub; registry: Registry; now: () => number },
) =>
  app.openapi(route, async (c) => {
    const now = clock();
    const [websocket, lag] = await Promise.all([websocketState(registry), consumerLag(registry)]);
    return c.json(
      {
        now,
        trades_per_second: hub.stats.tradesPerSecond(),
        stream_clients: hub.clients,
        websocket,
        consumer_lag: lag,
        symbols: hub.stats.symbols().map((activity) => ({
          symbol: activity.symbol,
          last_trade_at: activity.lastTradeAt,
          age_ms: Math.max(0, now - activity.lastTradeAt),
          lag_ms: activity.lagMs,
        })),
      },
      200,
    );
  });
