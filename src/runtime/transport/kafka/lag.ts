import type { Admin } from "kafkajs";
import type { Logger } from "../../logger.ts";
import type { KafkaMetrics } from "./metrics.ts";

export interface LagSource {
  admin: Admin;
  groupId: string;
  /** Kafka topic name. */
  topic: string;
}

/**
 * Messages of each partition a group has not committed: the high-water mark minus the committed offset
 * (minus the log start when the group committed nothing yet), from the admin API, so it is right even
 * when the consumer is stuck.
 */
export const partitionLag = async (
  { admin, groupId, topic }: LagSource,
  partitions: readonly number[],
): Promise<{ partition: number; lag: number }[]> => {
  if (partitions.length === 0) return [];
  const [groupOffsets, ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [topic] }),
    admin.fetchTopicOffsets(topic),
  ]);
  const committed = new Map(groupOffsets[0]?.partitions.map((p) => [p.partition, Number(p.offset)]));
  const byPartition = new Map(ends.map((end) => [end.partition, end]));
  return partitions.map((partition) => {
    const end = byPartition.get(partition);
    const high = Number(end?.high ?? 0);
    const position = committed.get(partition) ?? -1;
    return { partition, lag: Math.max(0, high - (position >= 0 ? position : Number(end?.low ?? 0))) };
  });
};

/** Keeps `kafka_consumer_lag{topic,partition,group}` current for the partitions a member owns. */
export const reportLag = (
  source: LagSource,
  partitions: () => readonly number[],
  metrics: KafkaMetrics,
  intervalMs: number,
  logger: Logger,
) => {
  let reported: number[] = [];
  let stopped = false;
  const labels = (partition: number) => ({ topic: source.topic, partition, group: source.groupId });
  const forget = (keep: readonly number[]) => {
    for (const partition of reported) if (!keep.includes(partition)) metrics.lag.remove(labels(partition));
    reported = [...keep];
  };
  const update = async () => {
    try {
      const lags = await partitionLag(source, partitions());
      if (stopped) return;
      forget(lags.map((entry) => entry.partition));
      for (const { partition, lag } of lags) metrics.lag.set(labels(partition), lag);
    } catch (error) {
      logger.debug({ err: error, topic: source.topic }, "consumer lag unavailable");
    }
  };
  const timer = setInterval(update, intervalMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
      forget([]);
    },
  };
};

/**
 * Where a member that acknowledges nothing (`start: "latest"`) stands in each partition, kept in memory
 * since its group has no committed offsets: it starts at the partitions' ends as of `start` and moves on
 * as batches are handled. The member seeks to these positions whenever it (re)joins, so a rebalance
 * skips nothing; its lag is the high-water mark minus the position.
 */
export class Positions {
  readonly #next = new Map<number, number>();

  constructor(
    private readonly admin: Admin,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    for (const { partition, high } of await this.admin.fetchTopicOffsets(this.topic)) {
      this.handled(partition, Number(high));
    }
  }

  /** The next offset to read; 0 for a partition the topic did not have at start. */
  of(partition: number): number {
    return this.#next.get(partition) ?? 0;
  }

  handled(partition: number, nextOffset: number): void {
    this.#next.set(partition, Math.max(nextOffset, this.of(partition)));
  }

  async lag(partitions: readonly number[]): Promise<{ partition: number; lag: number }[]> {
    if (partitions.length === 0) return [];
    const ends = new Map(
      (await this.admin.fetchTopicOffsets(this.topic)).map((end) => [end.partition, Number(end.high)]),
    );
    return partitions.map((partition) => ({
      partition,
      lag: Math.max(0, (ends.get(partition) ?? 0) - this.of(partition)),
    }));
  }
}
