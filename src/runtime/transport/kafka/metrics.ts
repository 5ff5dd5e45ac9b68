import { Counter, Gauge, type Registry } from "../../metrics/index.ts";

/** Metrics of the Kafka transport; obtain with `metricsOf(registry, kafkaMetrics)`. */
export const kafkaMetrics = (registry: Registry) => ({
  sent: new Counter({
    name: "kafka_messages_sent_total",
    help: "Messages acknowledged by the brokers (acks=all)",
    labelNames: ["topic"] as const,
    registers: [registry],
  }),
  failed: new Counter({
    name: "kafka_messages_failed_total",
    help: "Messages of send attempts the brokers did not acknowledge (each is retried until it is)",
    labelNames: ["topic"] as const,
    registers: [registry],
  }),
  unacknowledged: new Gauge({
    name: "kafka_send_buffer_messages",
    help: "Messages handed to the producer and not yet acknowledged; publishers wait past the bound",
    registers: [registry],
  }),
  undecodable: new Counter({
    name: "kafka_messages_undecodable_total",
    help: "Consumed messages that were not JSON, sent to the dead-letter topic and skipped",
    labelNames: ["topic"] as const,
    registers: [registry],
  }),
  lag: new Gauge({
    name: "kafka_consumer_lag",
    help: "Messages of a partition not yet committed by a consumer group (high-water mark - committed)",
    labelNames: ["topic", "partition", "group"] as const,
    registers: [registry],
  }),
  rebalances: new Counter({
    name: "kafka_consumer_rebalances_total",
    help: "Partition assignments received by this process's consumers",
    labelNames: ["group"] as const,
    registers: [registry],
  }),
});

export type KafkaMetrics = ReturnType<typeof kafkaMetrics>;
