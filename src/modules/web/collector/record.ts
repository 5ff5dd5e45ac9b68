import { timedVitals, type WebMetrics } from "../metrics.ts";
import { PAGE_LOAD_EVENT, pageEndpoints, REQUEST_MEASUREMENT } from "../telemetry-names.ts";
import type { FaroPayload } from "./schema.ts";

/** Error types worth a label of their own; anything else is counted as "other". */
const errorTypes = new Set([
  "Error",
  "TypeError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "EvalError",
  "URIError",
  "AggregateError",
  "DOMException",
  "DOMError",
  "UnhandledRejection",
  "ApiError",
  "StreamError",
]);
const vitalNames = new Set<string>(timedVitals);
const endpoints = new Set<string>(pageEndpoints);

const recordMeasurement = (metrics: WebMetrics, { type, values, context }: FaroMeasurement) => {
  if (type === "web-vitals") {
    for (const [name, value] of Object.entries(values)) {
      if (vitalNames.has(name) && value >= 0) metrics.vitals.observe({ name }, value / 1_000);
      else if (name === "cls" && value >= 0) metrics.layoutShift.observe(value);
    }
  } else if (type === REQUEST_MEASUREMENT) {
    const endpoint = context?.endpoint;
    const duration = values.duration_ms;
    if (endpoint !== undefined && endpoints.has(endpoint) && duration !== undefined && duration >= 0) {
      metrics.requests.observe({ endpoint }, duration / 1_000);
    }
  }
};

type FaroMeasurement = NonNullable<FaroPayload["measurements"]>[number];

/** Turns one validated Faro payload into metrics; unknown kinds of items are ignored. */
export const recordPayload = (metrics: WebMetrics, payload: FaroPayload) => {
  for (const event of payload.events ?? []) if (event.name === PAGE_LOAD_EVENT) metrics.pageLoads.inc();
  for (const exception of payload.exceptions ?? []) {
    metrics.errors.inc({ type: errorTypes.has(exception.type) ? exception.type : "other" });
  }
  for (const measurement of payload.measurements ?? []) recordMeasurement(metrics, measurement);
};
