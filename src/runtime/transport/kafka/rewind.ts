import type { Admin } from "kafkajs";
import type { Config } from "../../config/index.ts";
import { TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { createKafkaClient } from "./client.ts";

export interface RewindOptions {
  kafka: Config["kafka"];
  logger: Logger;
  /** Logical group and topic names; `KAFKA_TOPIC_PREFIX` is prepended to both, as the transport does. */
  group: string;
  topic: string;
  /** Epoch ms: each partition goes back to its first message with a Kafka timestamp at or after it. */
  to: number;
  /** Plan only: commit nothing. */
  dryRun: boolean;
}

export interface PartitionRewind {
  partition: number;
  /** The group's committed offset; null when it has none (the group starts there from the beginning). */
  committed: number | null;
  /** First offset at or after the time (the end of the partition when every message is older). */
  target: number;
  /** Whether the committed offset goes back to `target`: a rewind never skips messages forward. */
  moves: boolean;
}

export type RewindResult =
  | { status: "refused"; groupId: string; state: string; members: string[] }
  | { status: "planned" | "applied"; groupId: string; topic: string; partitions: PartitionRewind[] };

/** Group states in which no consumer holds the group: its offsets may be changed from outside. */
const idleStates = new Set(["Empty", "Dead"]);

const plan = async (admin: Admin, groupId: string, topic: string, to: number) => {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committedOf = new Map(committed?.partitions.map((entry) => [entry.partition, Number(entry.offset)]));
  const targets = await admin.fetchTopicOffsetsByTimestamp(topic, to);
  return targets
    .map(({ partition, offset }): PartitionRewind => {
      const found = committedOf.get(partition) ?? -1;
      const target = Number(offset);
      return { partition, committed: found < 0 ? null : found, target, moves: found >= 0 && target < found };
    })
    .sort((a, b) => a.partition - b.partition);
};

/**
 * Moves the committed offsets of a stopped consumer group back to a point in time, so its consumers
 * reprocess from there when they start again. Refuses (status `refused`) while any consumer is a member:
 * a running member would overwrite the offsets with its own commits.
 */
export const rewindGroup = async (options: RewindOptions): Promise<RewindResult> => {
  const { kafka, to, dryRun } = options;
  const groupId = `${kafka.topicPrefix}${options.group}`;
  const topic = `${kafka.topicPrefix}${options.topic}`;
  const admin = createKafkaClient(kafka, options.logger).admin();
  await admin.connect();
  try {
    const [description] = (await admin.describeGroups([groupId])).groups;
    const state = description?.state ?? "Dead";
    if (!idleStates.has(state)) {
      const members = (description?.members ?? []).map((member) => `${member.clientId}@${member.clientHost}`);
      return { status: "refused", groupId, state, members };
    }
    if (!(await admin.listTopics()).includes(topic)) {
      throw new TickflowError("CONFIG_INVALID", `topic ${topic} does not exist (check KAFKA_TOPIC_PREFIX)`);
    }
    const partitions = await plan(admin, groupId, topic, to);
    const moving = partitions.filter((partition) => partition.moves);
    if (dryRun) return { status: "planned", groupId, topic, partitions };
    if (moving.length > 0) {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: moving.map(({ partition, target }) => ({ partition, offset: String(target) })),
      });
    }
    return { status: "applied", groupId, topic, partitions };
  } finally {
    await admin.disconnect();
  }
};
