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
  /** Where processed trades and bars come from for `/v1/stream`. */
  transport: Transport;
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
 * The api module: feeds the live stream from the processed topic and builds the app to serve.
 * Stopping it ends every open stream, then the feed.
 */
export const startApi = async (
  deps: ApiDeps,
): Promise<ModuleHandle & { app: OpenAPIHono; hub: StreamHub }> => {
  const hub = createStreamHub(deps.options, deps.registry);
  const feed = await startStreamFeed({ transport: deps.transport, hub });
  const { handle, fail } = createHandle(async () => {
    hub.close();
    await feed.stop();
  });
  feed.done.catch(fail);
  return { ...handle, app: createApiApp({ ...deps, hub }), hub };
};
