import { ErrorsInstrumentation, initializeFaro, WebVitalsInstrumentation } from "@grafana/faro-web-sdk";
import type { PageConfig } from "../page.ts";
import { PAGE_LOAD_EVENT, type PageEndpoint, REQUEST_MEASUREMENT } from "../telemetry-names.ts";

/** What the page reports beyond what Faro's instrumentations catch by themselves. */
export interface Telemetry {
  /** An API request (or the stream's opening) took `ms`. */
  timed(endpoint: PageEndpoint, ms: number): void;
  /** A handled error worth knowing about. */
  error(error: Error): void;
}

/**
 * Faro with the instrumentations the collector reads: uncaught errors and web vitals, plus the page's
 * own load event and request timings. Sent to the configured collector (this server's by default).
 */
export const startTelemetry = (config: PageConfig): Telemetry => {
  const faro = initializeFaro({
    url: config.faroUrl,
    app: { name: "tickflow-web", version: config.version },
    instrumentations: [new ErrorsInstrumentation(), new WebVitalsInstrumentation()],
    sessionTracking: { enabled: false },
  });
  faro.api.pushEvent(PAGE_LOAD_EVENT);
  return {
    timed: (endpoint, ms) =>
      faro.api.pushMeasurement(
        { type: REQUEST_MEASUREMENT, values: { duration_ms: Math.round(ms * 10) / 10 } },
        { context: { endpoint }, skipDedupe: true },
      ),
    error: (error) => faro.api.pushError(error),
  };
};
