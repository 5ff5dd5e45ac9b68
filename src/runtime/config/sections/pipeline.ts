import { z } from "zod";
import { bool, int, num, option } from "../fields.ts";

export const processor = z.object({
  allowedLatenessMs: option(int(5_000), {
    env: "BAR_ALLOWED_LATENESS_MS",
    description: "Watermark = highest event time seen per symbol minus this",
  }),
  idleTimeoutMs: option(int(10_000, { min: 1 }), {
    env: "BAR_IDLE_TIMEOUT_MS",
    description: "A symbol with no trade for this long (wall clock) advances its watermark so bars close",
  }),
  provisionalIntervalMs: option(int(250), {
    env: "BAR_PROVISIONAL_INTERVAL_MS",
    description: "Shortest interval between two provisional updates of a symbol's open bar",
  }),
  dedupHorizonMs: option(int(5_000, { min: 1 }), {
    env: "DEDUP_HORIZON_MS",
    description:
      "Trade ids are remembered until this long after their trade in the symbol's event time (at least the allowed lateness); an older trade of a still-open window gets its bar recomputed from the store once final",
  }),
  outlierSigma: option(num(3, { min: 0 }), {
    env: "OUTLIER_SIGMA",
    description: "A trade this many standard deviations from its symbol's recent mean is an outlier",
  }),
  outlierWindow: option(int(200, { min: 2 }), {
    env: "OUTLIER_WINDOW",
    description: "Number of recent trades the outlier statistics cover",
  }),
  outlierExclude: option(bool(false), {
    env: "OUTLIER_EXCLUDE",
    description: "Leave flagged outliers out of bars (they are always stored and counted)",
  }),
});

export const writer = z.object({
  batchSize: option(int(10_000, { min: 1 }), {
    env: "WRITER_BATCH_SIZE",
    description: "Most messages the writer takes per batch and trades it hands the store per write",
  }),
  retryInitialMs: option(int(100, { min: 1 }), {
    env: "WRITER_RETRY_INITIAL_MS",
    description: "First delay before retrying a failed store write; doubles per attempt, with jitter",
  }),
  retryMaxMs: option(int(5_000, { min: 1 }), {
    env: "WRITER_RETRY_MAX_MS",
    description: "Longest delay between two attempts of a failed store write",
  }),
  barStateTtlMs: option(int(180_000, { min: 1_000 }), {
    env: "WRITER_BAR_STATE_TTL_MS",
    description:
      "How long the writer remembers whether a recent 1-minute bar is final (a miss reads the store)",
  }),
  provisionalStoreIntervalMs: option(int(1_000, { min: 0 }), {
    env: "WRITER_PROVISIONAL_STORE_MS",
    description:
      "Shortest interval between two stored versions of an open bar (0: store every update; the live stream gets every update and final bars are stored at once either way)",
  }),
});
