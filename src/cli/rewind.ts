import { consumerGroups, topics } from "../modules/contracts/index.ts";
import { TickflowError } from "../runtime/errors.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";

/** The topic each consumer group of the pipeline reads. */
const consumedTopic = new Map<string, string>([
  [consumerGroups.processor, topics.trades],
  [consumerGroups.writer, topics.processed],
]);

/**
 * `rewind --group G --to TIME [--dry-run]`: moves the committed offsets of a stopped consumer group back
 * to TIME so it reprocesses from there (Kafka only). Exit 1 when the group still has consumers.
 */
export const rewind: Command = async ({ config }) => {
  const { group, to, dryRun } = config.ops;
  const topic = group === undefined ? undefined : consumedTopic.get(group);
  if (group === undefined || topic === undefined || to === undefined) {
    throw new TickflowError(
      "CONFIG_INVALID",
      `rewind needs --group (${[...consumedTopic.keys()].join(" or ")}) and --to TIME`,
    );
  }
  const logger = processLogger(config);
  const { rewindGroup } = await import("../runtime/transport/kafka/rewind.ts");
  const result = await rewindGroup({ kafka: config.kafka, logger, group, topic, to, dryRun });
  if (result.status === "refused") {
    logger.error(
      { group: result.groupId, state: result.state, members: result.members },
      `group ${result.groupId} is active (${result.state}, ${result.members.length} members): stop its consumers, then rewind`,
    );
    return 1;
  }
  const moved = result.partitions.filter((partition) => partition.moves);
  logger.info(
    {
      group: result.groupId,
      topic: result.topic,
      to: new Date(to).toISOString(),
      partitions: result.partitions,
    },
    `${result.status === "planned" ? "would move" : "moved"} ${moved.length} of ${result.partitions.length} partitions back; the others are already at or before the time`,
  );
  return 0;
};
