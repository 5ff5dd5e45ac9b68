import { beforeAll, describe, expect, test } from "bun:test";
import { getOrCreate } from "../../src/runtime/collections.ts";
import { roles } from "../../src/runtime/config/index.ts";
import { createRegistry, metricsOf } from "../../src/runtime/metrics/index.ts";
import { kafkaMetrics } from "../../src/runtime/transport/kafka/metrics.ts";
import { type MetricsDoc, readMetricsDoc } from "./support/metrics-doc.ts";
import { startTestPipeline } from "./support/pipeline.ts";
import { defaultMetricNames, type RegisteredMetric, registeredMetrics } from "./support/registry.ts";

interface LiveMetric extends RegisteredMetric {
  emittedBy: Set<string>;
}

const KAFKA = "kafka transport";
const sorted = (values: Iterable<string>) => [...values].sort();

describe("docs/METRICS.md and the live registries", () => {
  let doc: MetricsDoc;
  const defaults = defaultMetricNames();
  /** What each role's process registers (memory transport, SQLite), plus the Kafka transport's set. */
  const live = new Map<string, LiveMetric>();
  let devNames: string[] = [];

  const collect = (metrics: readonly RegisteredMetric[], emitter: string) => {
    for (const metric of metrics) {
      if (defaults.has(metric.name)) continue;
      getOrCreate(live, metric.name, () => ({ ...metric, emittedBy: new Set<string>() })).emittedBy.add(
        emitter,
      );
    }
  };

  beforeAll(async () => {
    doc = await readMetricsDoc();
    for (const role of roles) {
      const started = await startTestPipeline({ ROLES: role });
      try {
        collect(registeredMetrics(started.pipeline.registry), role);
      } finally {
        await started.stop();
      }
    }
    const kafka = createRegistry();
    metricsOf(kafka, kafkaMetrics);
    collect(registeredMetrics(kafka), KAFKA);
    const dev = await startTestPipeline();
    try {
      devNames = registeredMetrics(dev.pipeline.registry)
        .map((metric) => metric.name)
        .filter((name) => !defaults.has(name));
    } finally {
      await dev.stop();
    }
  });

  test("every metric the code registers is documented with its type and labels", () => {
    const undocumented = [...live.keys()].filter((name) => !doc.metrics.has(name));
    expect(undocumented).toEqual([]);
    for (const metric of live.values()) {
      const row = doc.metrics.get(metric.name)!;
      expect({ name: metric.name, type: row.type, labels: sorted(row.labels) }).toEqual({
        name: metric.name,
        type: metric.type,
        labels: sorted(metric.labels),
      });
    }
  });

  test("every documented metric is registered, by exactly the roles the page names", () => {
    const missing = [...doc.metrics.keys()].filter((name) => !live.has(name));
    expect(missing).toEqual([]);
    for (const row of doc.metrics.values()) {
      expect({ name: row.name, emittedBy: sorted(row.emittedBy) }).toEqual({
        name: row.name,
        emittedBy: sorted(live.get(row.name)!.emittedBy),
      });
    }
  });

  test("dev mode (every role in one process) registers all the roles' metrics", () => {
    const roleMetrics = [...live.values()].filter((metric) => !metric.emittedBy.has(KAFKA));
    expect(sorted(devNames)).toEqual(sorted(roleMetrics.map((metric) => metric.name)));
  });

  test("the default process metrics are covered by the documented prefixes", () => {
    expect(doc.defaultPrefixes.length).toBeGreaterThan(0);
    const uncovered = [...defaults].filter((name) => !doc.defaultPrefixes.some((p) => name.startsWith(p)));
    expect(uncovered).toEqual([]);
    for (const prefix of doc.defaultPrefixes) {
      expect([...defaults].some((name) => name.startsWith(prefix))).toBe(true);
    }
  });
});
