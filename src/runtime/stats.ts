import type { Logger } from "./logger.ts";
import type { Registry } from "./metrics/index.ts";

/** A counter to report: its metric name and the word used in the log line. */
export interface RateSource {
  metric: string;
  label: string;
}

const total = async (registry: Registry, metric: string) => {
  const found = registry.getSingleMetric(metric);
  if (!found) return undefined;
  const { values } = await found.get();
  return values.reduce((sum, sample) => sum + sample.value, 0);
};

/** The total of each source that exists in this process, by label. */
const totalsOf = async (registry: Registry, sources: readonly RateSource[]) => {
  const totals: Record<string, number> = {};
  for (const { metric, label } of sources) {
    const value = await total(registry, metric);
    if (value !== undefined) totals[label] = value;
  }
  return totals;
};

/** `label=value<unit>` for each entry, space-separated. */
const summaryOf = (values: Record<string, number>, unit = "") =>
  Object.entries(values)
    .map(([label, value]) => `${label}=${value}${unit}`)
    .join(" ");

/**
 * Logs one line every `intervalMs` with the rate of each counter that exists in this process (a role
 * that does not run a module simply lacks its counters), e.g. `ingested=1520/s stored=1518/s`, and, when
 * stopped (once the modules have drained), the totals, so that a run can be reconciled from its log.
 * An interval of 0 turns the report off.
 */
export const startRateReporter = (
  registry: Registry,
  logger: Logger,
  sources: readonly RateSource[],
  intervalMs: number,
) => {
  if (intervalMs <= 0) return async () => {};
  let previous: Record<string, number> = {};
  let last = performance.now();
  const report = async () => {
    const now = performance.now();
    const seconds = (now - last) / 1_000;
    last = now;
    const totals = await totalsOf(registry, sources);
    const rates: Record<string, number> = {};
    for (const [label, value] of Object.entries(totals)) {
      rates[label] = Math.round((value - (previous[label] ?? 0)) / seconds);
    }
    previous = totals;
    const summary = summaryOf(rates, "/s");
    if (summary) logger.info({ rates }, `rates ${summary}`);
  };
  const timer = setInterval(() => void report(), intervalMs);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    const totals = await totalsOf(registry, sources);
    const summary = summaryOf(totals);
    if (summary) logger.info({ totals }, `totals ${summary}`);
  };
};
