import { Counter, Histogram, type Registry } from "../../runtime/metrics/index.ts";

/** Web vitals measured in time (web-vitals reports ms; stored in seconds). */
export const timedVitals = ["ttfb", "fcp", "lcp", "inp"] as const;

/**
 * The live page's health, fed by the Faro collector endpoint; obtain with `metricsOf(registry, webMetrics)`.
 * Every label comes from a closed list, whatever the browser sends.
 */
export const webMetrics = (registry: Registry) => {
  const registers = [registry];
  return {
    pageLoads: new Counter({ name: "web_page_loads_total", help: "Loads of the live page", registers }),
    errors: new Counter({
      name: "web_errors_total",
      help: "Errors in the live page, by type (TypeError, UnhandledRejection, ApiError, other...)",
      labelNames: ["type"] as const,
      registers,
    }),
    vitals: new Histogram({
      name: "web_vitals_seconds",
      help: "Web vitals of the live page measured in time (ttfb, fcp, lcp, inp)",
      labelNames: ["name"] as const,
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.8, 2.5, 4, 8, 15],
      registers,
    }),
    layoutShift: new Histogram({
      name: "web_vitals_cls",
      help: "Cumulative layout shift of the live page (unitless)",
      buckets: [0.01, 0.05, 0.1, 0.15, 0.25, 0.5, 1],
      registers,
    }),
    requests: new Histogram({
      name: "web_request_duration_seconds",
      help: "API requests as the live page timed them (stream: until the event stream opened), by endpoint",
      labelNames: ["endpoint"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    payloads: new Counter({
      name: "web_telemetry_payloads_total",
      help: "Faro payloads posted to this server's collector, by outcome (accepted, malformed, too_large)",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
};

export type WebMetrics = ReturnType<typeof webMetrics>;
