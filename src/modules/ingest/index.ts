/**
 * Ingest: Finnhub WebSocket (or the simulator, or replay files) -> validated, enriched trades on
 * `stock-trades` keyed by symbol; rejections on `stock-trades-dlq` with their original payload.
 */
export {
  type DecodeContext,
  type DecodedFrame,
  decodeFinnhubFrame,
  frameHash,
  liveSeq,
  type Rejection,
} from "./decode.ts";
export { FrameDeduper } from "./frame-dedup.ts";
export { type IngestMetrics, ingestMetrics } from "./metrics.ts";
export type { IngestOptions, IngestSource } from "./sources/index.ts";
export { assertReplayFiles } from "./sources/replay.ts";
export { type IngestDeps, startIngest } from "./start.ts";
