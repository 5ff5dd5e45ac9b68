import type { Config } from "../../runtime/config/index.ts";
import { TickflowError } from "../../runtime/errors.ts";
import type { RuntimeEvents } from "../../runtime/events.ts";
import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import { deadLetterMetrics, metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import type { Store, TradeToStore } from "../../runtime/store/index.ts";
import type { Batch, Transport } from "../../runtime/transport/index.ts";
import { consumerGroups, type Trade, topics } from "../contracts/index.ts";
import { WindowStates } from "./bar-states.ts";
import { BarWriter } from "./bars.ts";
import { createDurably } from "./durably.ts";
import { readInbox } from "./inbox.ts";
import { type WriterMetrics, writerMetrics } from "./metrics.ts";
import { ProvisionalPacer } from "./provisional-pacer.ts";

export interface WriterDeps {
  options: Config["writer"];
  logger: Logger;
  registry: Registry;
  transport: Transport;
  store: Store;
  events: RuntimeEvents;
  /** Bars recomputed from stored trades leave flagged outliers out, as the processor's do (`OUTLIER_EXCLUDE`). */
  outlierExclude: boolean;
  /** Wall clock, epoch ms; injected so tests control the bar state cache. */
  clock?: () => number;
}

/** Most trades per write whose end-to-end latency is observed (an even sample): observing costs per trade. */
const LATENCY_SAMPLE = 32;

/** Each symbol's highest stored event time, for `last_stored_trade_timestamp_seconds`. */
const noteStored = (lastStored: Map<string, number>, trades: readonly Trade[]) => {
  for (const { symbol, timestamp } of trades) {
    if (timestamp > (lastStored.get(symbol) ?? -Infinity)) lastStored.set(symbol, timestamp);
  }
};

const observeLatency = (metrics: WriterMetrics, trades: readonly Trade[], now: number) => {
  const stride = Math.max(1, Math.floor(trades.length / LATENCY_SAMPLE));
  const fromEvent = metrics.endToEnd.labels({ from: "event" });
  const fromIngest = metrics.endToEnd.labels({ from: "ingest" });
  for (let i = 0; i < trades.length; i += stride) {
    const trade = trades[i]!;
    fromEvent.observe((now - trade.timestamp) / 1_000);
    fromIngest.observe((now - trade.processed_at) / 1_000);
  }
};

/**
 * Consumes `stock-processed` in group `tickflow-writer`. Per batch: trades are stored (in writes of at
 * most `batchSize`) and bars by the rules of docs/adr/0002, the final and corrected ones among them
 * published on `stock-bars` for live views, then end markers are announced as `input-durable`. The
 * handler resolves, and the transport acknowledges, only once all of it is durable; a failing store is
 * retried with backoff meanwhile, which holds the producers back.
 */
export const startWriter = async (deps: WriterDeps): Promise<ModuleHandle> => {
  const { options, logger, registry, transport, store, events, outlierExclude } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = metricsOf(registry, writerMetrics);
  const { deadLetters } = metricsOf(registry, deadLetterMetrics);
  const stopping = new AbortController();
  const durably = createDurably(
    { initialMs: options.retryInitialMs, maxMs: options.retryMaxMs },
    stopping.signal,
    logger,
  );
  const states = new WindowStates(options.barStateTtlMs, clock);
  const pacer = new ProvisionalPacer(options.provisionalStoreIntervalMs, clock);
  const bars = new BarWriter({ store, states, pacer, durably, metrics, clock, outlierExclude });

  const writeTrades = async (trades: readonly TradeToStore[]) => {
    for (let i = 0; i < trades.length; i += options.batchSize) {
      const chunk =
        i === 0 && trades.length <= options.batchSize ? trades : trades.slice(i, i + options.batchSize);
      await durably("trade write", () => store.writeTrades(chunk));
    }
    if (trades.length === 0) return;
    metrics.tradesStored.inc(trades.length);
    observeLatency(metrics, trades, Date.now());
    noteStored(metrics.lastStoredMs, trades);
  };

  const onBatch = async (batch: Batch<unknown>) => {
    const inbox = readInbox(batch.messages, clock());
    if (inbox.rejected.length > 0) {
      await transport.publish(
        topics.deadLetters,
        inbox.rejected.map((letter) => ({ key: letter.source ?? "writer", value: letter })),
      );
      deadLetters.inc({ stage: "writer", reason: "message_invalid" }, inbox.rejected.length);
    }
    // Bars are not held back by the trades' write, so both usually share a commit; the bar writer waits
    // for the trades only before a recomputation reads them.
    const tradesStored = writeTrades(inbox.trades);
    const barsStored = bars.apply(inbox.barWork, tradesStored);
    const [trades, written] = await Promise.allSettled([tradesStored, barsStored]);
    if (trades.status === "rejected") throw trades.reason;
    if (written.status === "rejected") throw written.reason;
    const stored = written.value.filter((bar) => bar.final);
    if (stored.length > 0) {
      await transport.publish(
        topics.bars,
        stored.map((bar) => ({ key: bar.symbol, value: bar })),
      );
    }
    states.expire();
    for (const source of inbox.ends) events.emit("input-durable", { source, partition: batch.partition });
  };

  const forget = () => {
    states.clear();
    pacer.clear();
  };

  const subscription = await transport.subscribe<unknown>(topics.processed, {
    group: consumerGroups.writer,
    maxBatch: options.batchSize,
    onBatch,
    // Partitions changing hands: another writer may have finalised windows this one remembers as open.
    onAssign: forget,
    onRevoke: forget,
  });

  const { handle, fail } = createHandle(async (reason) => {
    // Ends a retry wait on an unavailable store; the batch in flight stays unacknowledged.
    stopping.abort(
      new TickflowError("STORE_UNAVAILABLE", "writer stopped before the store came back", {
        retryable: false,
      }),
    );
    await subscription.stop();
    logger.info({ reason }, "writer stopped");
  });
  subscription.done.catch((error: unknown) => {
    if (!stopping.signal.aborted) fail(error);
  });
  logger.info({ batchSize: options.batchSize }, "writer started");
  return handle;
};
