import { Counter, Gauge, Histogram, latencyBuckets, type Registry } from "../../runtime/metrics/index.ts";

/** Writer metrics; store write latency and errors are shared by every backend (`storeMetrics`). */
export const writerMetrics = (registry: Registry) => {
  const registers = [registry];
  /** Highest event time stored per symbol; read at scrape time so the write path only updates a Map. */
  const lastStoredMs = new Map<string, number>();
  return {
    lastStoredMs,
    lastStoredTime: new Gauge({
      name: "last_stored_trade_timestamp_seconds",
      help: "Event time of the latest trade written durably per symbol (feeds the DataStale alert)",
      labelNames: ["symbol"] as const,
      registers,
      collect() {
        for (const [symbol, ms] of lastStoredMs) this.set({ symbol }, ms / 1000);
      },
    }),
    tradesStored: new Counter({
      name: "trades_stored_total",
      help: "Trades written durably to the store (a redelivered trade is counted again, stored once)",
      registers,
    }),
    barsStored: new Counter({
      name: "bars_stored_total",
      help: "1-minute bar versions written to the store (provisional, final and corrected)",
      registers,
    }),
    barsCorrected: new Counter({
      name: "bars_corrected_total",
      help: "Final bars rewritten with rev + 1 after a recomputation from their stored trades changed them",
      registers,
    }),
    endToEnd: new Histogram({
      name: "end_to_end_latency_seconds",
      help:
        "From a trade's event time (from=event) or ingest time (from=ingest) until it is durable; " +
        "large writes observe an even sample of up to 32 of their trades",
      labelNames: ["from"] as const,
      buckets: latencyBuckets,
      registers,
    }),
  };
};

export type WriterMetrics = ReturnType<typeof writerMetrics>;
