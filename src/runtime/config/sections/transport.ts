import { z } from "zod";
import { int, nonEmptyCsv, option } from "../fields.ts";

export const transportOptions = z.object({
  partitions: option(int(6, { min: 1, max: 1_000 }), {
    env: "PARTITIONS",
    description: "Partitions per topic (Kafka topics and in-memory channels)",
  }),
  memoryCapacity: option(int(20_000, { min: 1 }), {
    env: "MEMORY_CHANNEL_CAPACITY",
    description: "Messages an in-memory partition holds before publishers wait",
  }),
});

export const kafka = z.object({
  brokers: option(nonEmptyCsv("localhost:9092"), {
    env: "KAFKA_BROKERS",
    description: "Kafka bootstrap brokers",
  }),
  clientId: option(z.string().default("tickflow"), {
    env: "KAFKA_CLIENT_ID",
    description: "Kafka client id",
  }),
  topicPrefix: option(z.string().default(""), {
    env: "KAFKA_TOPIC_PREFIX",
    description: "Prefix of every topic name (isolates tests and environments)",
  }),
  replicationFactor: option(int(1, { min: 1 }), {
    env: "KAFKA_REPLICATION_FACTOR",
    description: "Replication factor of provisioned topics",
  }),
  retentionMs: option(int(7 * 24 * 3_600_000, { min: 60_000 }), {
    env: "KAFKA_RETENTION_MS",
    description: "Retention of provisioned topics",
  }),
  sendBufferMessages: option(int(100_000, { min: 1 }), {
    env: "KAFKA_SEND_BUFFER_MESSAGES",
    description: "Messages held while the broker is away before the source is paused",
  }),
  requestMaxBytes: option(int(1_000_000, { min: 1_024 }), {
    env: "KAFKA_REQUEST_MAX_BYTES",
    description: "Most uncompressed bytes in one produce request (keep below the topics' max.message.bytes)",
  }),
  sessionTimeoutMs: option(int(30_000, { min: 1_000 }), {
    env: "KAFKA_SESSION_TIMEOUT_MS",
    description: "A consumer silent for this long leaves its group and its partitions move on",
  }),
  heartbeatIntervalMs: option(int(3_000, { min: 100 }), {
    env: "KAFKA_HEARTBEAT_INTERVAL_MS",
    description: "Period of consumer heartbeats (a third of the session timeout or less)",
  }),
  rebalanceTimeoutMs: option(int(60_000, { min: 1_000 }), {
    env: "KAFKA_REBALANCE_TIMEOUT_MS",
    description: "How long a rebalance waits for every member to rejoin",
  }),
  lagIntervalMs: option(int(5_000, { min: 100 }), {
    env: "KAFKA_LAG_INTERVAL_MS",
    description: "Period of the kafka_consumer_lag metric updates",
  }),
});
