import { type KafkaMessage, Partitioners } from "kafkajs";
import { topics as topicNames } from "../../../modules/contracts/index.ts";
import type { Config } from "../../config/index.ts";
import { errorMessage, TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { deadLetterMetrics, metricsOf, type Registry } from "../../metrics/index.ts";
import type { OutgoingMessage, Subscription, Transport } from "../types.ts";
import { clientRetry, createKafkaClient } from "./client.ts";
import { encode } from "./codec.ts";
import { subscribeKafka } from "./consumer.ts";
import { notJsonLetters } from "./dead-letters.ts";
import { kafkaMetrics } from "./metrics.ts";
import { SendQueue } from "./send-queue.ts";
import { Topics, topicSettings } from "./topics.ts";

export interface KafkaTransportDeps {
  config: Config;
  logger: Logger;
  registry: Registry;
}

/** How long `close` waits for queued messages to be acknowledged before failing their publishers. */
const CLOSE_GRACE_MS = 10_000;

const closedError = () => new TickflowError("TRANSPORT_CLOSED", "transport is closed");

/**
 * The Kafka backend of the Transport seam (kafkajs). Topics are provisioned on first use, messages are
 * JSON keyed by the partitioning key and acknowledged by all in-sync replicas, and consumer groups commit
 * as `SubscribeOptions` says. Messages that are not JSON go to the dead-letter topic.
 */
export const createKafkaTransport = async ({
  config,
  logger,
  registry,
}: KafkaTransportDeps): Promise<Transport> => {
  const log = logger.child({ component: "kafka" });
  const kafka = createKafkaClient(config.kafka, log);
  const admin = kafka.admin({ retry: clientRetry });
  const metrics = metricsOf(registry, kafkaMetrics);
  const deadLetters = metricsOf(registry, deadLetterMetrics).deadLetters;
  const closing = new AbortController();
  const topics = new Topics(admin, topicSettings(config), log, closing.signal);
  const queue = new SendQueue(
    // Every record names its partition (codec.ts); choosing the default partitioner explicitly only
    // silences kafkajs's warning about its v2 change of default.
    kafka.producer({
      allowAutoTopicCreation: false,
      retry: clientRetry,
      createPartitioner: Partitioners.DefaultPartitioner,
    }),
    { bufferMessages: config.kafka.sendBufferMessages, maxRequestBytes: config.kafka.requestMaxBytes },
    metrics,
    log,
  );
  const partitions = config.transport.partitions;
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let shutdown: Promise<void> | undefined;

  const publish = async <T>(topic: string, messages: readonly OutgoingMessage<T>[]) => {
    if (closed) throw closedError();
    if (messages.length === 0) return;
    const kafkaTopic = await topics.ensure(topic).catch((error: unknown) => {
      throw closing.signal.aborted ? closedError() : error;
    });
    await queue.send(kafkaTopic, encode(messages, partitions, config.kafka.requestMaxBytes));
  };

  const deadLetter = async (topic: string, partition: number, messages: readonly KafkaMessage[]) => {
    await publish(
      topicNames.deadLetters,
      notJsonLetters(topic, partition, messages, config.ingest.dlqSampleBytes),
    );
    metrics.undecodable.inc({ topic }, messages.length);
    deadLetters.inc({ stage: "transport", reason: "not_json" }, messages.length);
    log.warn(
      { topic, partition, count: messages.length },
      "undecodable messages sent to the dead-letter topic",
    );
  };

  const consumerContext = {
    kafka,
    admin,
    topics,
    metrics,
    logger: log,
    deadLetter,
    signal: closing.signal,
    settings: {
      partitions,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs,
      heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
      rebalanceTimeoutMs: config.kafka.rebalanceTimeoutMs,
      lagIntervalMs: config.kafka.lagIntervalMs,
    },
  };

  return {
    partitions,
    publish,
    subscribe: async (topic, options) => {
      if (closed) throw closedError();
      const subscription = await subscribeKafka(consumerContext, topic, options);
      subscriptions.add(subscription);
      void subscription.done.catch(() => {}).finally(() => subscriptions.delete(subscription));
      return subscription;
    },
    health: async () => {
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (queue.failure !== undefined) {
          return { ok: false, detail: `sends are failing: ${errorMessage(queue.failure)}` };
        }
        return {
          ok: true,
          detail: `${cluster.brokers.length} broker(s); ${queue.unacknowledged} message(s) awaiting acknowledgement`,
        };
      } catch (error) {
        return { ok: false, detail: `brokers unreachable: ${errorMessage(error)}` };
      }
    },
    close: () => {
      shutdown ??= (async () => {
        closed = true;
        closing.abort(closedError());
        await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
        await queue.close(CLOSE_GRACE_MS);
        await admin.disconnect();
      })();
      return shutdown;
    },
  };
};
