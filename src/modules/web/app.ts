import { join } from "node:path";
import { Hono } from "hono";
import type { Config } from "../../runtime/config/index.ts";
import type { Logger } from "../../runtime/logger.ts";
import { metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import { type Asset, type AssetBundle, assetResponse, buildAssets, bundleSize } from "./assets.ts";
import { COLLECTOR_PATH, registerCollector } from "./collector/route.ts";
import { webMetrics } from "./metrics.ts";
import { contentSecurityPolicy, renderPage } from "./page.ts";

export interface WebAppDeps {
  /** The api role's options: the page follows its token requirement and Faro collector. */
  options: Pick<Config["api"], "token" | "faroCollectorUrl">;
  registry: Registry;
  logger: Logger;
}

const CLIENT_ENTRIES = ["main.ts", "styles.css"].map((file) => join(import.meta.dir, "client", file));
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The live market page at `/`, its bundled assets at `/assets/*` (content-hashed, cached forever) and
 * the Faro collector at `/faro/collect`. The bundle is built on the first request and kept.
 */
export const createWebApp = ({ options, registry, logger }: WebAppDeps): Hono => {
  const faroUrl = options.faroCollectorUrl ?? COLLECTOR_PATH;
  let built: Promise<{ bundle: AssetBundle; page: Asset }> | undefined;
  const ready = () => {
    built ??= buildAssets(CLIENT_ENTRIES).then((bundle) => {
      const { size, compressed } = bundleSize(bundle);
      logger.info({ files: bundle.files.size, size, compressed }, "live page built");
      const config = { faroUrl, authRequired: options.token !== undefined, version: bundle.version };
      return { bundle, page: renderPage(bundle, config) };
    });
    return built;
  };

  const app = new Hono();
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, "live page request failed");
    return c.json({ error: { code: "INTERNAL", message: "internal error" } }, 500);
  });
  app.get("/", async (c) => {
    const response = assetResponse((await ready()).page, c.req.raw, "no-cache");
    response.headers.set("content-security-policy", contentSecurityPolicy(faroUrl));
    response.headers.set("referrer-policy", "no-referrer");
    return response;
  });
  app.get("/assets/:name", async (c) => {
    const asset = (await ready()).bundle.files.get(c.req.param("name"));
    if (asset === undefined) return c.json({ error: { code: "NOT_FOUND", message: "no such asset" } }, 404);
    return assetResponse(asset, c.req.raw, IMMUTABLE);
  });
  registerCollector(app, metricsOf(registry, webMetrics), logger);
  return app;
};
