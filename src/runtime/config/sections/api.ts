import { z } from "zod";
import { csv, int, option, optionalString } from "../fields.ts";

export const api = z.object({
  host: option(z.string().default("0.0.0.0"), { env: "HOST", description: "Address the HTTP server binds" }),
  port: option(int(8080, { max: 65_535 }), { env: "PORT", description: "HTTP port (API, health, metrics)" }),
  token: option(optionalString(), {
    env: "API_TOKEN",
    secret: true,
    description: "Bearer token required on /v1/* when set",
  }),
  corsOrigins: option(csv(""), {
    env: "CORS_ORIGINS",
    description: "Origins allowed by CORS (none by default)",
  }),
  maxRangeDays: option(int(366, { min: 1 }), {
    env: "API_MAX_RANGE_DAYS",
    description: "Widest from/to range a query may ask for",
  }),
  maxStreamSymbols: option(int(100, { min: 1 }), {
    env: "API_MAX_STREAM_SYMBOLS",
    description: "Most symbols one /v1/stream connection may watch",
  }),
  streamReplayBuffer: option(int(10_000, { min: 1 }), {
    env: "API_STREAM_REPLAY_BUFFER",
    description: "Events kept for Last-Event-ID resume",
  }),
  streamClientQueue: option(int(5_000, { min: 1 }), {
    env: "API_STREAM_CLIENT_QUEUE",
    description: "Events a /v1/stream client may have waiting before it is disconnected as too slow",
  }),
  streamHeartbeatMs: option(int(15_000, { min: 100, max: 60_000 }), {
    env: "API_STREAM_HEARTBEAT_MS",
    description: "Period of heartbeat events on /v1/stream",
  }),
  faroCollectorUrl: option(optionalString(), {
    env: "FARO_COLLECTOR_URL",
    description: "Where the web page sends Faro telemetry (default: this server's own collector)",
  }),
  cacheMb: option(int(64, { min: 0 }), {
    env: "API_CACHE_MB",
    description:
      "Memory for answers of /v1/bars over ended ranges and of /v1/trades, served until the next store write or until the clock changes them (0 = off)",
  }),
});
