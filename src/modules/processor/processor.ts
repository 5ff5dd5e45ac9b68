import { TickflowError } from "../../runtime/errors.ts";
import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import { deadLetterMetrics, metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import type { Subscription, Transport } from "../../runtime/transport/index.ts";
import { consumerGroups, topics } from "../contracts/index.ts";
import type { ProcessorOptions } from "./engine.ts";
import { processorMetrics, recordStats } from "./metrics.ts";
import { PartitionRunner } from "./partition-runner.ts";
import { createEngineStats } from "./stats.ts";

export interface ProcessorDeps {
  options: ProcessorOptions;
  logger: Logger;
  registry: Registry;
  transport: Transport;
  /** Wall clock, epoch ms; injected so tests control idle timeouts and provisional pacing. */
  clock?: () => number;
}

/** Timer period: fine enough for the provisional interval, never busier than every 10 ms. */
const tickPeriod = (options: ProcessorOptions) =>
  Math.max(10, Math.min(options.provisionalIntervalMs, options.idleTimeoutMs) / 2);

/**
 * Consumes `stock-trades` in group `tickflow-processor` and publishes deduplicated trades, bar updates,
 * correction requests and end markers to `stock-processed` (invalid values to `stock-trades-dlq`). Each
 * assigned partition gets its own engine; offsets are committed once the derived messages are published
 * and never past the oldest trade of a still-open bar.
 */
export const startProcessor = async (deps: ProcessorDeps): Promise<ModuleHandle> => {
  const { options, logger, registry, transport } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = metricsOf(registry, processorMetrics);
  const { deadLetters } = metricsOf(registry, deadLetterMetrics);
  const stats = createEngineStats();
  const runners = new Map<number, PartitionRunner>();
  const subscribed = Promise.withResolvers<Subscription>();

  const record = () => {
    recordStats(metrics, stats);
    let open = 0;
    for (const runner of runners.values()) open += runner.engine.openBars;
    metrics.openBars.set(open);
  };

  const runner = (partition: number) => {
    let found = runners.get(partition);
    if (!found) {
      found = new PartitionRunner(partition, {
        options,
        transport,
        stats,
        clock,
        logger,
        commit: async (p, nextOffset) => (await subscribed.promise).commit(p, nextOffset),
        onDeadLetter: (reason) => deadLetters.inc({ stage: "processor", reason }),
      });
      runners.set(partition, found);
    }
    return found;
  };

  const { handle, fail } = createHandle(async (reason) => {
    clearInterval(timer);
    await (await subscribed.promise).stop();
    await Promise.all([...runners.values()].map((r) => r.idle()));
    record();
    logger.info({ reason }, "processor stopped");
  });

  /** A publish that failed leaves the partition's order broken: the module stops rather than retrying. */
  const fatal = (error: unknown) => {
    fail(error);
    return new TickflowError("INTERNAL", "processor could not publish", { cause: error, retryable: false });
  };

  const subscription = await transport.subscribe<unknown>(topics.trades, {
    group: consumerGroups.processor,
    manualCommit: true,
    onAssign: (partitions) => {
      for (const partition of partitions) runners.delete(partition);
      for (const partition of partitions) runner(partition);
    },
    onRevoke: async (partitions) => {
      await Promise.all(partitions.map((partition) => runners.get(partition)?.idle()));
      for (const partition of partitions) runners.delete(partition);
    },
    onBatch: async (batch) => {
      try {
        await runner(batch.partition).consume(batch.messages);
      } catch (error) {
        throw fatal(error);
      } finally {
        record();
      }
    },
  });
  subscribed.resolve(subscription);
  const timer = setInterval(() => {
    for (const r of runners.values()) r.tick().catch(fatal);
    record();
  }, tickPeriod(options));
  subscription.done.catch(fail);
  logger.info({ partitions: transport.partitions }, "processor started");
  return handle;
};
