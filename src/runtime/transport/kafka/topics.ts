import type { Admin } from "kafkajs";
import type { Config } from "../../config/index.ts";
import { TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { retry } from "../../retry.ts";
import { isTransient } from "./errors.ts";

export interface TopicSettings {
  prefix: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

export const topicSettings = (config: Config): TopicSettings => ({
  prefix: config.kafka.topicPrefix,
  partitions: config.transport.partitions,
  replicationFactor: config.kafka.replicationFactor,
  retentionMs: config.kafka.retentionMs,
});

/** Backoff of admin operations while the brokers are away. */
export const adminBackoff = { initialMs: 200, maxMs: 5_000 };

/**
 * Creates each topic on first use through the admin API (partitions, replication, retention) and maps
 * logical names (`stock-trades`) to Kafka names (prefix + name). Waits, retrying, while the brokers are
 * away; an existing topic with fewer partitions than configured is a configuration error, since
 * symbols would no longer map to the partitions every process agrees on.
 */
export class Topics {
  readonly #ready = new Map<string, Promise<string>>();

  constructor(
    private readonly admin: Admin,
    private readonly settings: TopicSettings,
    private readonly logger: Logger,
    private readonly signal: AbortSignal,
  ) {}

  name(topic: string): string {
    return `${this.settings.prefix}${topic}`;
  }

  /** Every Kafka topic this instance provisioned or found. */
  provisioned(): string[] {
    return [...this.#ready.keys()].map((topic) => this.name(topic));
  }

  /** Resolves to the Kafka name once the topic exists with its leaders elected. */
  ensure(topic: string): Promise<string> {
    let ready = this.#ready.get(topic);
    if (!ready) {
      ready = retry(() => this.#provision(this.name(topic)), {
        policy: adminBackoff,
        shouldRetry: isTransient,
        signal: this.signal,
        onRetry: (error, attempt) => {
          if (attempt === 0) this.logger.warn({ err: error, topic }, "cannot provision topic yet; retrying");
        },
      });
      this.#ready.set(topic, ready);
      ready.catch(() => this.#ready.delete(topic));
    }
    return ready;
  }

  async #provision(name: string) {
    const { partitions, replicationFactor, retentionMs } = this.settings;
    // Asking first keeps kafkajs from logging an error for every topic that already exists.
    const exists = (await this.admin.listTopics()).includes(name);
    const created =
      !exists &&
      (await this.admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: name,
            numPartitions: partitions,
            replicationFactor,
            configEntries: [{ name: "retention.ms", value: String(retentionMs) }],
          },
        ],
      }));
    if (created) {
      this.logger.info({ topic: name, partitions, replicationFactor, retentionMs }, "topic created");
      return name;
    }
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [name] })).topics;
    const found = metadata?.partitions.length ?? 0;
    if (found < partitions) {
      throw new TickflowError(
        "CONFIG_INVALID",
        `topic ${name} has ${found} partitions but PARTITIONS is ${partitions}; grow the topic or lower PARTITIONS`,
      );
    }
    return name;
  }
}
