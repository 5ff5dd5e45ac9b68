import { Hono } from "hono";
import type { HealthChecks } from "../../runtime/health.ts";
import type { Logger } from "../../runtime/logger.ts";
import type { Registry } from "../../runtime/metrics/index.ts";
import { errorHandler, notFound } from "./errors.ts";

export interface OpsAppDeps {
  health: HealthChecks;
  registry: Registry;
  logger: Logger;
}

/**
 * What every process serves, whatever its roles: `/healthz` (the process answers), `/readyz` (each
 * registered dependency's state; 503 when one is down) and `/metrics` (Prometheus text).
 */
export const createOpsApp = ({ health, registry, logger }: OpsAppDeps): Hono => {
  const app = new Hono();
  app.onError(errorHandler(logger));
  app.notFound(notFound);
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const state = await health.run();
    return c.json(state, state.ready ? 200 : 503);
  });
  app.get("/metrics", async (c) =>
    c.body(await registry.metrics(), 200, { "content-type": registry.contentType }),
  );
  return app;
};
