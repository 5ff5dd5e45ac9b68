import { Kafka, logLevel } from "kafkajs";
import { startKafkaBroker } from "../../scripts/kafka/broker.ts";
import { type Config, loadConfig } from "../../src/runtime/config/index.ts";
import { partitionLag } from "../../src/runtime/transport/kafka/lag.ts";

export { type KafkaBroker, startKafkaBroker } from "../../scripts/kafka/broker.ts";

type Env = Record<string, string | undefined>;

let shared: Promise<{ brokers: string[] }> | undefined;

/**
 * The Kafka every test of this `bun test` process uses: the brokers of `KAFKA_BROKERS` when given, else one
 * node fetched and started on first use (scripts/kafka/broker.ts) and killed when the process exits.
 * Tests isolate themselves with a unique topic prefix (`uniquePrefix`), which also prefixes group ids.
 */
export const ensureKafka = (env: Env = process.env): Promise<{ brokers: string[] }> => {
  shared ??= env.KAFKA_BROKERS?.trim()
    ? Promise.resolve({ brokers: loadConfig([], { KAFKA_BROKERS: env.KAFKA_BROKERS }).config.kafka.brokers })
    : startKafkaBroker().then(({ brokers }) => ({ brokers }));
  return shared;
};

let counter = 0;

/** A topic and group prefix no other test (or concurrent test process) uses. */
export const uniquePrefix = (name: string) =>
  `test.${process.pid.toString(36)}${Date.now().toString(36)}.${++counter}.${name}.`;

/** Config of a Kafka transport for tests: group timings short enough for fast rebalances. */
export const kafkaTestConfig = (brokers: readonly string[], env: Env = {}): Config =>
  loadConfig([], {
    TRANSPORT: "kafka",
    KAFKA_BROKERS: brokers.join(","),
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    KAFKA_HEARTBEAT_INTERVAL_MS: "300",
    KAFKA_REBALANCE_TIMEOUT_MS: "5000",
    KAFKA_LAG_INTERVAL_MS: "200",
    ...env,
  }).config;

/** A plain kafkajs client, for tests that need to act on Kafka behind the transport's back. */
export const rawKafka = (brokers: readonly string[]) =>
  new Kafka({ brokers: [...brokers], clientId: "tickflow-test", logLevel: logLevel.NOTHING });

/** Deletes the topics and consumer groups whose names start with `prefix`. */
export const deleteByPrefix = async (brokers: readonly string[], prefix: string) => {
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => {});
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
};

/** Messages of Kafka topic `topic` that group `groupId` has not committed, over all partitions. */
export const groupLag = async (brokers: readonly string[], groupId: string, topic: string) => {
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  try {
    const partitions = (await admin.fetchTopicOffsets(topic)).map((end) => end.partition);
    const lags = await partitionLag({ admin, groupId, topic }, partitions);
    return lags.reduce((sum, { lag }) => sum + lag, 0);
  } finally {
    await admin.disconnect();
  }
};
