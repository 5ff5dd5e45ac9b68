import { CompressionCodecs, CompressionTypes, Kafka, type LogEntry, logLevel } from "kafkajs";
import createSnappyCodec from "kafkajs-snappy";
import type { Config } from "../../config/index.ts";
import type { Logger } from "../../logger.ts";

// Snappy in pure JS (see docs/adr/0005-pure-js-snappy.md); registering twice is harmless.
CompressionCodecs[CompressionTypes.Snappy] = createSnappyCodec;

/** kafkajs retries each request a little; longer outages are retried by our own loops with backoff. */
export const clientRetry = { initialRetryTime: 100, maxRetryTime: 2_000, retries: 3 };

/**
 * kafkajs's own log lines go to our logger, warnings and errors only, both as warnings: every failure
 * kafkajs reports is retried and reported by the transport itself.
 */
const logCreator = (logger: Logger) => () => (entry: LogEntry) => {
  const { message, ...extra } = entry.log;
  delete (extra as { timestamp?: string }).timestamp;
  logger.warn({ kafkajs: entry.namespace, ...extra }, `kafkajs: ${message}`);
};

export const createKafkaClient = (config: Config["kafka"], logger: Logger) =>
  new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: 3_000,
    retry: clientRetry,
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger.child({ component: "kafkajs" })),
  });
