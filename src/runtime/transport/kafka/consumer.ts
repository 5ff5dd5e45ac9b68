import type { Admin, Kafka, KafkaMessage, Offsets } from "kafkajs";
import { errorMessage, TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { retry } from "../../retry.ts";
import type { SubscribeOptions, Subscription } from "../types.ts";
import { Assignment } from "./assignment.ts";
import { createBatchHandler } from "./batch-handler.ts";
import { clientRetry } from "./client.ts";
import { isMembershipLost, isTransient } from "./errors.ts";
import { Positions, partitionLag, reportLag } from "./lag.ts";
import type { KafkaMetrics } from "./metrics.ts";
import { adminBackoff, type Topics } from "./topics.ts";

/** Consumer timings; the defaults suit production, tests shorten them. */
export interface ConsumerSettings {
  partitions: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  lagIntervalMs: number;
}

export interface ConsumerContext {
  kafka: Kafka;
  admin: Admin;
  topics: Topics;
  settings: ConsumerSettings;
  metrics: KafkaMetrics;
  logger: Logger;
  /** Aborts when the transport closes: stops this member, also while it is still joining. */
  signal: AbortSignal;
  /** Sends undecodable messages of a Kafka topic's partition to the dead-letter topic; durable on return. */
  deadLetter(topic: string, partition: number, messages: readonly KafkaMessage[]): Promise<void>;
}

/** Longest wait of one fetch for new messages: bounds how late a member notices a rebalance or a stop. */
const FETCH_MAX_WAIT_MS = 250;

/**
 * A member of consumer group `options.group` (prefixed like topics) on `topic`: one kafkajs consumer,
 * every partition of its assignment handled concurrently, offsets committed only as the subscription
 * contract says; a `latest` member commits nothing and seeks to its in-memory positions (`Positions`)
 * whenever it joins. Resolves once the member joined the group and `onAssign` ran.
 */
export const subscribeKafka = async <T>(
  context: ConsumerContext,
  topic: string,
  options: SubscribeOptions<T>,
): Promise<Subscription> => {
  const { kafka, admin, topics, settings, metrics } = context;
  const kafkaTopic = await topics.ensure(topic);
  const groupId = topics.name(options.group);
  const logger = context.logger.child({ topic: kafkaTopic, group: groupId });
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    allowAutoTopicCreation: false,
    retry: clientRetry,
  });

  const stopping = new AbortController();
  const ended = Promise.withResolvers<void>();
  ended.promise.catch(() => {});
  const joined = Promise.withResolvers<void>();
  joined.promise.catch(() => {});
  const assignment = new Assignment(options as SubscribeOptions<unknown>, (error) => fail(error));
  const lagSource = { admin, groupId, topic: kafkaTopic };
  const latest = options.start === "latest";
  // A `latest` member's group is its own and acknowledges nothing: no lag series for it.
  const positions = latest ? new Positions(admin, kafkaTopic) : undefined;
  const lag = positions
    ? undefined
    : reportLag(lagSource, () => assignment.partitions, metrics, settings.lagIntervalMs, logger);
  let stopped: Promise<void> | undefined;
  const onClose = () => void stop();
  const stop = () => {
    stopped ??= (async () => {
      context.signal.removeEventListener("abort", onClose);
      stopping.abort(new TickflowError("TRANSPORT_CLOSED", "subscription stopped"));
      lag?.stop();
      await consumer
        .disconnect()
        .catch((error: unknown) => logger.warn({ err: error }, "consumer disconnect failed"));
      ended.resolve();
    })();
    return stopped;
  };
  const fail = (error: unknown) => {
    logger.error({ err: error }, `subscription failed: ${errorMessage(error)}`);
    ended.reject(error);
    joined.reject(error);
    void stop();
  };
  context.signal.addEventListener("abort", onClose, { once: true });

  /** Highest offset committed per partition in the current generation: commits never move backwards. */
  const committed = new Map<number, number>();

  consumer.on(consumer.events.REBALANCING, () => assignment.revokeAll());
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    metrics.rebalances.inc({ group: groupId });
    committed.clear();
    assignment.assign(payload.memberAssignment[kafkaTopic] ?? []);
    logger.info(
      { memberId: payload.memberId, partitions: assignment.partitions, joinMs: payload.duration },
      "joined the consumer group",
    );
    if (positions) {
      for (const partition of assignment.partitions) {
        consumer.seek({ topic: kafkaTopic, partition, offset: String(positions.of(partition)) });
      }
    }
    void assignment.settled().then(() => joined.resolve());
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    assignment.revokeAll();
    if (payload.restart) logger.warn({ err: payload.error }, "consumer crashed; kafkajs restarts it");
    else if (isTransient(payload.error) && !stopping.signal.aborted) {
      // kafkajs gives up on some outage errors (no group coordinator while the broker shuts down): the
      // broker coming back is still what ends them, so the consumer starts again, with backoff.
      logger.warn(
        { err: payload.error },
        "consumer crashed on an outage kafkajs does not retry; restarting it",
      );
      runConsumer().catch((error: unknown) => {
        if (!stopping.signal.aborted) fail(error);
      });
    } else {
      fail(
        new TickflowError("TRANSPORT_UNAVAILABLE", `consumer of ${kafkaTopic} crashed`, {
          cause: payload.error,
        }),
      );
    }
  });

  /** Commits through `send`; a member that lost the partition leaves the commit to the new owner. */
  const commitWith = async (
    partition: number,
    nextOffset: number,
    send: (offsets: Offsets) => Promise<void>,
  ) => {
    if (latest || !assignment.canCommit(partition) || (committed.get(partition) ?? -1) >= nextOffset) return;
    try {
      await send({
        topics: [{ topic: kafkaTopic, partitions: [{ partition, offset: String(nextOffset) }] }],
      });
      committed.set(partition, Math.max(nextOffset, committed.get(partition) ?? -1));
    } catch (error) {
      if (isMembershipLost(error)) return;
      throw new TickflowError("TRANSPORT_UNAVAILABLE", `cannot commit ${kafkaTopic}/${partition}`, {
        cause: error,
      });
    }
  };
  const commit = (partition: number, nextOffset: number) =>
    commitWith(partition, nextOffset, async ({ topics }) => {
      await consumer.commitOffsets(
        topics.flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, ...p }))),
      );
    });

  const eachBatch = createBatchHandler<T>({
    topic,
    options: positions
      ? {
          ...options,
          onBatch: async (batch) => {
            await options.onBatch(batch);
            const last = batch.messages.at(-1);
            if (last) positions.handled(batch.partition, last.offset + 1);
          },
        }
      : options,
    assignment,
    signal: stopping.signal,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    commit: commitWith,
    deadLetter: (partition, messages) => context.deadLetter(kafkaTopic, partition, messages),
    fail,
    logger,
  });

  const whileKafkaIsAway = { policy: adminBackoff, shouldRetry: isTransient, signal: stopping.signal };
  /** Connects, subscribes and runs the kafkajs consumer, retrying while Kafka is away. */
  const runConsumer = () =>
    retry(async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [kafkaTopic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitions,
        eachBatch,
      });
    }, whileKafkaIsAway);

  try {
    if (positions) await retry(() => positions.start(), whileKafkaIsAway);
    await runConsumer();
    await Promise.race([
      joined.promise,
      ended.promise.then(() => {
        throw new TickflowError("TRANSPORT_CLOSED", "transport closed while joining the group");
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    commit,
    lag: async () =>
      (await (positions?.lag(assignment.partitions) ?? partitionLag(lagSource, assignment.partitions))).map(
        (entry) => ({ topic, ...entry }),
      ),
    stop,
    done: ended.promise,
  };
};
