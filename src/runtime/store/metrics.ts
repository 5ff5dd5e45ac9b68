import { Counter, Histogram, latencyBuckets, type Registry } from "../metrics/index.ts";

/** What a store write carried. */
export type StoreWriteKind = "trades" | "bars";

/**
 * Store write metrics, shared by every backend (and obtained with `metricsOf(registry, storeMetrics)`).
 * A backend observes each `writeTrades`/`writeBars` call once: latency until durable (retries included),
 * and one error per failed attempt, so retried failures stay visible.
 */
export const storeMetrics = (registry: Registry) => ({
  writeLatency: new Histogram({
    name: "store_write_latency_seconds",
    help: "Time for one store write call (a batch of trades or bars) to become durable, retries included",
    labelNames: ["kind"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  writeErrors: new Counter({
    name: "store_write_errors_total",
    help: "Failed store write attempts (retried or not)",
    labelNames: ["kind"] as const,
    registers: [registry],
  }),
});

export type StoreMetrics = ReturnType<typeof storeMetrics>;
