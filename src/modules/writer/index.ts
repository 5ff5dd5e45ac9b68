export { writerMetrics } from "./metrics.ts";
export { startWriter, type WriterDeps } from "./writer.ts";
