import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "../../../runtime/logger.ts";
import type { WebMetrics } from "../metrics.ts";
import { recordPayload } from "./record.ts";
import { faroPayloadSchema } from "./schema.ts";

/** Where the page posts its Faro telemetry when no external collector is configured. */
export const COLLECTOR_PATH = "/faro/collect";

/** Largest payload accepted, bytes (a batch of 50 items with stack traces fits easily). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

const parse = (body: string) => {
  try {
    return faroPayloadSchema.safeParse(JSON.parse(body));
  } catch {
    return undefined;
  }
};

/**
 * A minimal Faro collector: validates what the page sends and turns it into metrics on the shared
 * registry, so the front end's health is on `/metrics` without Grafana Alloy. Answers 202 like Alloy's
 * receiver; bad input gets a 4xx (which Faro does not retry), never a 500.
 */
export const registerCollector = (app: Hono, metrics: WebMetrics, logger: Logger) => {
  app.post(
    COLLECTOR_PATH,
    bodyLimit({
      maxSize: MAX_PAYLOAD_BYTES,
      onError: (c) => {
        metrics.payloads.inc({ outcome: "too_large" });
        return c.json({ error: { code: "BAD_REQUEST", message: "payload too large" } }, 413);
      },
    }),
    async (c) => {
      const parsed = parse(await c.req.text());
      if (!parsed?.success) {
        metrics.payloads.inc({ outcome: "malformed" });
        logger.debug({ issues: parsed?.error.issues.slice(0, 3) }, "malformed Faro payload");
        return c.json({ error: { code: "BAD_REQUEST", message: "expected a Faro payload" } }, 400);
      }
      recordPayload(metrics, parsed.data);
      metrics.payloads.inc({ outcome: "accepted" });
      return c.body(null, 202);
    },
  );
};
