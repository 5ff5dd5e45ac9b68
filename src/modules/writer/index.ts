export { writerMetrics } from "./metrics.ts";
export { type OrphanedBarsDeps, openBarCloseAfterMs, startOrphanedBarsRepair } from "./orphaned-bars.ts";
export { type RecomputeRangeOptions, type RecomputeSummary, recomputeRange } from "./recompute-range.ts";
export { startWriter, type WriterDeps } from "./writer.ts";
