import { Counter, Gauge, Histogram, type Registry } from "../../runtime/metrics/index.ts";
import type { EngineStats } from "./stats.ts";

/** Lateness spans seconds to hours (a replayed backlog, a venue that reports late). */
const latenessBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1_800, 3_600, 21_600, 86_400];

export const processorMetrics = (registry: Registry) => {
  const registers = [registry];
  return {
    trades: new Counter({
      name: "processor_trades_total",
      help: "Valid trades the processor received, duplicates included",
      registers,
    }),
    duplicates: new Counter({
      name: "duplicate_trades_total",
      help: "Trades dropped because their id was already seen within the dedup horizon",
      registers,
    }),
    unchecked: new Counter({
      name: "dedup_unchecked_trades_total",
      help: "Trades of an open window too far behind their symbol's newest (DEDUP_HORIZON_MS) to check for a duplicate; the bar is recomputed from the store once final",
      registers,
    }),
    late: new Counter({
      name: "late_trades_total",
      help: "Trades whose 1-minute window was already final; each one requests a bar correction",
      registers,
    }),
    lateness: new Histogram({
      name: "trade_lateness_seconds",
      help: "How far behind its symbol's highest event time a late trade arrived",
      buckets: latenessBuckets,
      registers,
    }),
    outliers: new Counter({
      name: "outlier_trades_total",
      help: "Trades flagged as more than OUTLIER_SIGMA standard deviations from their symbol's recent mean",
      registers,
    }),
    barsFinalized: new Counter({ name: "bars_finalized_total", help: "1-minute bars made final", registers }),
    barUpdates: new Counter({
      name: "bar_updates_total",
      help: "Provisional 1-minute bar updates",
      registers,
    }),
    openBars: new Gauge({ name: "open_bars", help: "1-minute bars not final yet", registers }),
  };
};

export type ProcessorMetrics = ReturnType<typeof processorMetrics>;

/** Moves what the engines counted into the metrics and starts counting from zero. */
export const recordStats = (metrics: ProcessorMetrics, stats: EngineStats): void => {
  if (stats.trades > 0) metrics.trades.inc(stats.trades);
  if (stats.duplicates > 0) metrics.duplicates.inc(stats.duplicates);
  if (stats.unchecked > 0) metrics.unchecked.inc(stats.unchecked);
  if (stats.late > 0) metrics.late.inc(stats.late);
  for (const ms of stats.latenessMs) metrics.lateness.observe(ms / 1_000);
  if (stats.outliers > 0) metrics.outliers.inc(stats.outliers);
  if (stats.barUpdates > 0) metrics.barUpdates.inc(stats.barUpdates);
  if (stats.barsFinalized > 0) metrics.barsFinalized.inc(stats.barsFinalized);
  stats.trades = stats.duplicates = stats.unchecked = stats.late = 0;
  stats.outliers = stats.barUpdates = stats.barsFinalized = 0;
  stats.latenessMs.length = 0;
};
