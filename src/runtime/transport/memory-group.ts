import { retry } from "../retry.ts";
import type { PartitionLog } from "./memory-log.ts";
import { redeliveryBackoff } from "./redelivery.ts";
import type { SubscribeOptions } from "./types.ts";

/** One subscriber of a group: runs one consume loop per assigned partition. */
export class Member {
  partitions: readonly number[] = [];
  running = true;
  readonly #loops = new Map<number, Promise<void>>();
  readonly #failure = Promise.withResolvers<void>();

  constructor(
    readonly topic: string,
    readonly options: SubscribeOptions<unknown>,
    private readonly group: Group,
  ) {
    this.#failure.promise.catch(() => {});
  }

  get done() {
    return this.#failure.promise;
  }

  start(partition: number) {
    const loop = this.#consume(partition).catch((error: unknown) => {
      this.running = false;
      this.#failure.reject(error);
    });
    this.#loops.set(partition, loop);
  }

  /** Waits for the loops of partitions no longer assigned (or all, once stopped) to finish. */
  async settle(partitions: readonly number[]) {
    for (const partition of partitions) this.group.logs[partition]!.published.notify();
    await Promise.all(partitions.map((partition) => this.#loops.get(partition)));
    for (const partition of partitions) this.#loops.delete(partition);
  }

  finish() {
    this.#failure.resolve();
  }

  async #consume(partition: number) {
    const log = this.group.logs[partition]!;
    const maxBatch = this.options.maxBatch ?? 1_000;
    while (this.running && this.partitions.includes(partition)) {
      const cursor = this.group.cursors[partition]!;
      if (cursor >= log.endOffset) {
        await log.published.wait();
        continue;
      }
      const messages = log.read(cursor, maxBatch);
      await retry(() => this.options.onBatch({ topic: this.topic, partition, messages }), {
        policy: redeliveryBackoff,
      });
      this.group.advance(partition, cursor + messages.length);
    }
  }
}

/**
 * A consumer group on one topic: a cursor per partition and the members sharing the partitions
 * (partition p goes to active member p mod count). Rebalances run one at a time; a partition changes
 * hands only after its previous owner finished the batch in flight.
 */
export class Group {
  readonly members: Member[] = [];
  readonly cursors: number[];
  #rebalancing: Promise<void> = Promise.resolve();

  constructor(
    readonly logs: readonly PartitionLog[],
    private readonly onAdvance: (partition: number) => void,
    /** Starts at the end of each partition instead of the oldest message held. */
    fromEnd = false,
  ) {
    this.cursors = logs.map((log) => (fromEnd ? log.endOffset : log.baseOffset));
  }

  advance(partition: number, offset: number) {
    this.cursors[partition] = offset;
    this.onAdvance(partition);
  }

  rebalance(): Promise<void> {
    this.#rebalancing = this.#rebalancing.then(() => this.#reassign());
    return this.#rebalancing;
  }

  async #reassign() {
    const active = this.members.filter((member) => member.running);
    const plan = active.map((member, index) => ({
      member,
      next: this.logs.map((log) => log.partition).filter((p) => p % active.length === index),
    }));
    for (const { member, next } of plan) {
      const revoked = member.partitions.filter((p) => !next.includes(p));
      if (revoked.length === 0) continue;
      member.partitions = member.partitions.filter((p) => next.includes(p));
      await member.settle(revoked);
      await member.options.onRevoke?.(revoked);
    }
    for (const { member, next } of plan) {
      const assigned = next.filter((p) => !member.partitions.includes(p));
      if (assigned.length === 0) continue;
      member.partitions = next;
      await member.options.onAssign?.(assigned);
      for (const partition of assigned) member.start(partition);
    }
  }
}
