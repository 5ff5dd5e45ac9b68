import {
  Counter,
  deadLetterMetrics,
  Gauge,
  Histogram,
  latencyBuckets,
  metricsOf,
  type Registry,
} from "../../runtime/metrics/index.ts";

/** Metrics of the ingest module (DESIGN section 9 names where they exist). */
export const ingestMetrics = (registry: Registry) => {
  const registers = [registry];
  /** Highest event time seen per symbol; read at scrape time so the hot path only writes a Map. */
  const lastTradeMs = new Map<string, number>();
  /** What the trade sink holds right now; read at scrape time. */
  const sink = { pending: 0 };
  return {
    lastTradeMs,
    sink,
    messagesReceived: new Counter({
      name: "finnhub_messages_received_total",
      help: "WebSocket frames received (trades, pings, errors, malformed)",
      registers,
    }),
    validationErrors: new Counter({
      name: "validation_errors_total",
      help: "Frames and trades rejected by validation, by reason",
      labelNames: ["reason"],
      registers,
    }),
    connected: new Gauge({
      name: "websocket_connected",
      help: "1 while the WebSocket connection is open",
      labelNames: ["connection"],
      registers,
    }),
    reconnects: new Counter({
      name: "websocket_reconnects_total",
      help: "Reconnections, by what ended the previous connection (closed, silence, error)",
      labelNames: ["reason"],
      registers,
    }),
    latency: new Histogram({
      name: "message_processing_latency_seconds",
      help: "Time from a frame's arrival to its trades being accepted by the transport",
      buckets: latencyBuckets,
      registers,
    }),
    trades: new Counter({
      name: "ingest_trades_total",
      help: "Valid trades published to the trades topic",
      registers,
    }),
    duplicateFrames: new Counter({
      name: "duplicate_frames_total",
      help: "Identical frames suppressed within the duplicate window",
      registers,
    }),
    deadLetters: metricsOf(registry, deadLetterMetrics).deadLetters,
    droppedTrades: new Counter({
      name: "ingest_dropped_trades_total",
      help: "Trades dropped because the transport fell behind a source that cannot pause",
      registers,
    }),
    pending: new Gauge({
      name: "ingest_pending_messages",
      help: "Trades and dead letters accepted from the source and not yet acknowledged by the transport",
      registers,
      collect() {
        this.set(sink.pending);
      },
    }),
    droppedDeadLetters: new Counter({
      name: "ingest_dropped_dead_letters_total",
      help: "Dead letters dropped because the transport fell behind a source that cannot pause",
      registers,
    }),
    finnhubErrors: new Counter({
      name: "finnhub_errors_total",
      help: "Error frames from Finnhub, by kind (symbol_limit, other)",
      labelNames: ["kind"],
      registers,
    }),
    subscribedSymbols: new Gauge({
      name: "subscribed_symbols",
      help: "1 per symbol a live source subscribes to, with the market whose hours it follows",
      labelNames: ["symbol", "market"],
      registers,
    }),
    lastTradeTime: new Gauge({
      name: "last_trade_timestamp_seconds",
      help: "Event time of the latest trade published per symbol",
      labelNames: ["symbol"],
      registers,
      collect() {
        for (const [symbol, ms] of lastTradeMs) this.set({ symbol }, ms / 1000);
      },
    }),
  };
};

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
