import type { OpenAPIHono } from "@hono/zod-openapi";
import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import { metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import type { Store } from "../../runtime/store/index.ts";
import type { Transport } from "../../runtime/transport/index.ts";
import { createApiApp } from "./app.ts";
import { apiMetrics } from "./metrics.ts";
import type { ApiOptions } from "./routes/deps.ts";
import { startStreamFeed } from "./stream/feed.ts";
import { StreamHub } from "./stream/hub.ts";

export interface ApiDeps {
  options: ApiOptions;
  store: Store;
  registry: Registry;
  logger: Logger;
}

/** The stream hub configured by the api options. */
export const createStreamHub = (options: ApiOptions, registry: Registry) =>
  new StreamHub(
    {
      replayBuffer: options.streamReplayBuffer,
      clientQueue: options.streamClientQueue,
      heartbeatMs: options.streamHeartbeatMs,
    },
    metricsOf(registry, apiMetrics),
  );

/**
 * The api module's app, ready to serve what is stored, and the hub of its live stream, which
 * `startApiFeed` feeds. Apart, so that the app answers while the transport is still out of reach.
 */
export const createApi = (deps: ApiDeps): { app: OpenAPIHono; hub: StreamHub } => {
  const hub = createStreamHub(deps.options, deps.registry);
  return { app: createApiApp({ ...deps, hub }), hub };
};

/**
 * Feeds the live stream from the processed topic (`transport`) to `hub`. Stopping it ends every open
 * stream, then the feed.
 */
export const startApiFeed = async (hub: StreamHub, transport: Transport): Promise<ModuleHandle> => {
  const feed = await startStreamFeed({ transport, hub });
  const { handle, fail } = createHandle(async () => {
    hub.close();
    await feed.stop();
  });
  feed.done.catch(fail);
  return handle;
};
