import type { Registry } from "../../../src/runtime/metrics/index.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";

/** A metric as a live registry holds it. */
export interface RegisteredMetric {
  name: string;
  type: string;
  labels: string[];
}

/** Every metric registered on `registry` (prom-client keeps `labelNames` on each metric object). */
export const registeredMetrics = (registry: Registry): RegisteredMetric[] =>
  registry.getMetricsAsArray().map((metric) => ({
    name: metric.name,
    type: String(metric.type),
    labels: [...((metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [])],
  }));

/** Names of prom-client's default process metrics, as this runtime (Bun) provides them. */
export const defaultMetricNames = (): Set<string> =>
  new Set(registeredMetrics(createRegistry()).map((metric) => metric.name));
