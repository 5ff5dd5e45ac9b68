export { PartitionEngine, type ProcessorOptions } from "./engine.ts";
export { processorMetrics } from "./metrics.ts";
export { type ProcessorDeps, startProcessor } from "./processor.ts";
export { createEngineStats, type EngineStats } from "./stats.ts";
