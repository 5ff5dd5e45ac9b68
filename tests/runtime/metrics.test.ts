import { expect, test } from "bun:test";
import { createRegistry, metricsOf } from "../../src/runtime/metrics/index.ts";

test("the registry has the default process metrics but not Bun's heap-walking heap space gauges", async () => {
  const names = (await createRegistry().getMetricsAsJSON()).map((metric) => metric.name);
  expect(names).toContain("process_cpu_seconds_total");
  expect(names).toContain("nodejs_heap_size_used_bytes");
  expect(names.filter((name) => name.startsWith("nodejs_heap_space_"))).toEqual([]);
});

test("metricsOf builds a metric set once per registry", () => {
  const registry = createRegistry();
  let built = 0;
  const factory = () => ({ id: ++built });
  expect(metricsOf(registry, factory)).toBe(metricsOf(registry, factory));
  expect(metricsOf(createRegistry(), factory).id).toBe(2);
});
