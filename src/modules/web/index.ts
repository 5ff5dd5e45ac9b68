export { createWebApp, type WebAppDeps } from "./app.ts";
export { COLLECTOR_PATH, MAX_PAYLOAD_BYTES } from "./collector/route.ts";
export { type WebMetrics, webMetrics } from "./metrics.ts";
