import { getOrCreate } from "../collections.ts";
import { TickflowError } from "../errors.ts";
import { Group, Member } from "./memory-group.ts";
import { PartitionLog } from "./memory-log.ts";
import { partitionFor } from "./partitioner.ts";
import type { OutgoingMessage, SubscribeOptions, Subscription, Transport } from "./types.ts";

export interface MemoryTransportOptions {
  partitions: number;
  /** Messages a partition holds beyond its slowest group before publishers wait. */
  capacity: number;
}

class Topic {
  readonly logs: PartitionLog[];
  readonly groups = new Map<string, Group>();

  constructor(partitions: number) {
    this.logs = Array.from({ length: partitions }, (_, partition) => new PartitionLog(partition));
  }

  /** Position of the slowest group on a partition; without groups nothing holds messages back. */
  slowestCursor(partition: number) {
    let slowest = this.logs[partition]!.endOffset;
    for (const group of this.groups.values()) slowest = Math.min(slowest, group.cursors[partition]!);
    return slowest;
  }

  release(partition: number) {
    const log = this.logs[partition]!;
    log.trimTo(this.slowestCursor(partition));
    log.consumed.notify();
  }
}

/** Longest a stopping subscriber keeps consuming what is already in its partitions. */
const DRAIN_TIMEOUT_MS = 10_000;
const DRAIN_POLL_MS = 10;

/**
 * Resolves once `member` consumed everything its partitions hold, it failed, or `DRAIN_TIMEOUT_MS`
 * passed: in-process channels keep nothing across a restart, so a subscriber that
 * stops (its producers stopped before it) hands on what it was sent instead of dropping it.
 */
const drained = async (member: Member, group: Group, topic: Topic) => {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const behind = () =>
    member.partitions.some((partition) => group.cursors[partition]! < topic.logs[partition]!.endOffset);
  // A member whose handler failed stopped running: nothing more will be consumed.
  while (member.running && behind() && Date.now() < deadline) await Bun.sleep(DRAIN_POLL_MS);
};

/**
 * In-process channels: bounded partitions per topic, a full partition makes its publisher wait, order is
 * kept per key, every group sees every message and the members of a group share the partitions.
 * A topic nobody subscribes to keeps only its latest `capacity` messages per partition.
 * Values are passed by reference and must be treated as immutable.
 */
export const createMemoryTransport = (options: MemoryTransportOptions): Transport => {
  const topics = new Map<string, Topic>();
  const members = new Set<Member>();
  let closed = false;

  const topicOf = (name: string) => getOrCreate(topics, name, () => new Topic(options.partitions));

  const assertOpen = () => {
    if (closed) throw new TickflowError("TRANSPORT_CLOSED", "transport is closed");
  };

  const publish = async <T>(name: string, messages: readonly OutgoingMessage<T>[]) => {
    assertOpen();
    const topic = topicOf(name);
    const now = Date.now();
    for (const message of messages) {
      const partition = message.partition ?? partitionFor(message.key, options.partitions);
      const log = topic.logs[partition];
      if (!log) throw new TickflowError("INTERNAL", `topic ${name} has no partition ${partition}`);
      if (topic.groups.size === 0) log.trimTo(log.endOffset + 1 - options.capacity);
      while (log.endOffset - topic.slowestCursor(partition) >= options.capacity) {
        await log.consumed.wait();
        assertOpen();
      }
      log.append(message.key, message.value, now);
      log.published.notify();
    }
  };

  const subscribe = async <T>(name: string, subscribeOptions: SubscribeOptions<T>): Promise<Subscription> => {
    assertOpen();
    const topic = topicOf(name);
    const latest = subscribeOptions.start === "latest";
    const group = getOrCreate(
      topic.groups,
      subscribeOptions.group,
      () => new Group(topic.logs, (partition) => topic.release(partition), latest),
    );
    const member = new Member(name, subscribeOptions as SubscribeOptions<unknown>, group);
    group.members.push(member);
    members.add(member);
    await group.rebalance();

    const owner = group;
    let stopping: Promise<void> | undefined;
    return {
      commit: async () => {},
      lag: async () =>
        member.partitions.map((partition) => ({
          topic: name,
          partition,
          lag: topic.logs[partition]!.endOffset - owner.cursors[partition]!,
        })),
      stop: () => {
        stopping ??= (async () => {
          await drained(member, owner, topic);
          member.running = false;
          await member.settle(member.partitions);
          owner.members.splice(owner.members.indexOf(member), 1);
          members.delete(member);
          await owner.rebalance();
          // A group that acknowledges nothing must not hold messages back once nobody reads for it.
          if (latest && owner.members.length === 0 && topic.groups.get(subscribeOptions.group) === owner) {
            topic.groups.delete(subscribeOptions.group);
            for (const log of topic.logs) log.consumed.notify();
          }
          member.finish();
        })();
        return stopping;
      },
      done: member.done,
    };
  };

  return {
    partitions: options.partitions,
    publish,
    subscribe,
    health: async () => ({ ok: !closed, detail: closed ? "closed" : "in-process channels" }),
    close: async () => {
      closed = true;
      for (const topic of topics.values()) for (const log of topic.logs) log.consumed.notify();
      await Promise.all(
        [...members].map(async (member) => {
          member.running = false;
          await member.settle(member.partitions);
          member.finish();
        }),
      );
    },
  };
};
