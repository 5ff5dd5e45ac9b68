import { collectDefaultMetrics, Registry } from "prom-client";
import { getOrCreate } from "../collections.ts";

export { Counter, Gauge, Histogram, type Registry } from "prom-client";
export { deadLetterMetrics } from "./dead-letters.ts";

/**
 * Default metrics left out: Bun answers v8.getHeapSpaceStatistics() by walking the whole heap, which took
 * 100-300 ms per scrape with a pipeline's heap, the event loop stalled meanwhile, for one approximate
 * space (`nodejs_heap_size_*` still tell the heap size).
 */
const omittedDefaults = [
  "nodejs_heap_space_size_total_bytes",
  "nodejs_heap_space_size_used_bytes",
  "nodejs_heap_space_size_available_bytes",
];

/** The one registry of a process; every module registers its metrics on it and `/metrics` serves it. */
export const createRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of omittedDefaults) registry.removeSingleMetric(name);
  return registry;
};

const instances = new WeakMap<Registry, Map<unknown, unknown>>();

/**
 * The metric set built by `factory` on `registry`, created on first use and shared afterwards, so two
 * modules (or two instances of one) that need the same metrics never register them twice.
 */
export const metricsOf = <T>(registry: Registry, factory: (registry: Registry) => T): T => {
  const byFactory = instances.get(registry) ?? new Map<unknown, unknown>();
  instances.set(registry, byFactory);
  return getOrCreate(byFactory, factory, () => factory(registry)) as T;
};

/** Latency buckets in seconds from 100 µs to 60 s, for everything from one store write to end to end. */
export const latencyBuckets = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
