/** Names the page and the collector share (imported by browser code too: keep this file dependency-free). */

/** The event the page pushes once per load. */
export const PAGE_LOAD_EVENT = "page_load";

/** Measurement type of the page's API timings: `values.duration_ms`, `context.endpoint`. */
export const REQUEST_MEASUREMENT = "tickflow_request";

/** What the live page asks the API for, as its telemetry names it. */
export const pageEndpoints = ["symbols", "bars", "trades", "status", "stream"] as const;
export type PageEndpoint = (typeof pageEndpoints)[number];
