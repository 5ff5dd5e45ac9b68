import { createWebApp, type WebAppDeps } from "../../../src/modules/web/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";

/** A web app on a fresh registry, and a reader of its metrics. */
export const createWebFixture = (options: Partial<WebAppDeps["options"]> = {}) => {
  const registry = createRegistry();
  const app = createWebApp({
    options: { token: undefined, faroCollectorUrl: undefined, ...options },
    registry,
    logger: silentLogger(),
  });
  /** One sample of `metric` (`series` names a histogram's _count/_sum/_bucket); 0 when absent. */
  const sample = async (metric: string, labels: Record<string, string | number> = {}, series = metric) => {
    const found = registry.getSingleMetric(metric);
    const values = found === undefined ? [] : (await found.get()).values;
    const match = values.find(
      (value) =>
        ((value as { metricName?: string }).metricName ?? metric) === series &&
        Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
    );
    return match?.value ?? 0;
  };
  /** The label values `metric` has samples for. */
  const labelValues = async (metric: string, label: string) => {
    const found = registry.getSingleMetric(metric);
    const values = found === undefined ? [] : (await found.get()).values;
    return [...new Set(values.map((value) => value.labels[label]))].sort();
  };
  return { app, registry, sample, labelValues };
};
