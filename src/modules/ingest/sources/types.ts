import type { Config } from "../../../runtime/config/index.ts";
import type { Logger } from "../../../runtime/logger.ts";
import type { IngestMetrics } from "../metrics.ts";
import type { TradeSink } from "../sink.ts";

/** The config slices ingest reads. */
export interface IngestOptions {
  ingest: Config["ingest"];
  finnhub: Config["finnhub"];
  replay: Config["replay"];
}

/** Which source to run; the CLI picks it (see `startIngest`). */
export type IngestSource =
  /** Finnhub itself: `finnhub.wsUrl`, one connection per key of `finnhub.apiKeys`. */
  | { kind: "finnhub" }
  /** The built-in simulator, as returned by `startSimulator`. */
  | { kind: "simulator"; url: string; token: string }
  /** Recorded NDJSON frames or CSV trades, read in order. */
  | { kind: "replay"; files: readonly string[] };

/** What every source backend gets. */
export interface SourceContext {
  options: IngestOptions;
  sink: TradeSink;
  metrics: IngestMetrics;
  logger: Logger;
}

/**
 * A source of trades. Backends: `websocket/` (Finnhub and the simulator) and `replay.ts` (files).
 * A source decodes its input and hands every frame to the sink; it never publishes itself.
 */
export interface TradeSource {
  /** Name used in logs and, for finite sources, in the end marker: "finnhub", "simulator", "replay". */
  readonly name: string;
  /** True when the input ends (replay): ingest then publishes the end marker and finishes. */
  readonly finite: boolean;
  /** Runs until the input ends or `signal` aborts; rejects on a fatal error such as a rejected key. */
  run(signal: AbortSignal): Promise<void>;
}
