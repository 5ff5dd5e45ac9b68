import type { DependencyHealth } from "../health.ts";

/**
 * The seam between modules. Backends: `memory.ts` (in-process channels) and `kafka/` (Kafka).
 * Topics are partitioned; messages with the same key land on the same partition and keep their order.
 */
export interface Transport {
  /** Partitions of every topic. */
  readonly partitions: number;
  /**
   * Appends messages. Resolves once the backend holds them durably (memory: enqueued; Kafka: acknowledged
   * by all in-sync replicas). Waits while the channel is full: that wait is the backpressure.
   */
  publish<T>(topic: string, messages: readonly OutgoingMessage<T>[]): Promise<void>;
  /** Joins a consumer group; resolves once the consumer runs. */
  subscribe<T>(topic: string, options: SubscribeOptions<T>): Promise<Subscription>;
  /** State for `/readyz`. */
  health(): Promise<DependencyHealth>;
  /** Stops every subscription and releases connections. */
  close(): Promise<void>;
}

export interface OutgoingMessage<T> {
  /** Partitioning key (the symbol for trades and bars). */
  key: string;
  value: T;
  /** Explicit partition, for control messages that must reach every partition. */
  partition?: number;
}

export interface IncomingMessage<T> {
  key: string;
  value: T;
  partition: number;
  /**
   * Position in the partition; commit `offset + 1` to acknowledge this message. Messages published
   * together may share a position (the Kafka backend packs them into one record): acknowledging one
   * acknowledges all, and a batch never ends between two of them.
   */
  offset: number;
  /** Epoch ms when the message entered the transport. */
  timestamp: number;
}

/** Consecutive messages of one partition. */
export interface Batch<T> {
  topic: string;
  partition: number;
  messages: readonly IncomingMessage<T>[];
}

export interface SubscribeOptions<T> {
  /** Consumer group: every group sees every message; members of one group share the partitions. */
  group: string;
  /**
   * Handles one batch. The next batch of the same partition is delivered after this resolves. A retryable
   * error redelivers the batch after a backoff; any other error ends the subscription (its `done` rejects).
   */
  onBatch(batch: Batch<T>): Promise<void>;
  /**
   * Without manual commits a batch is acknowledged once `onBatch` resolved. With them, only what
   * `Subscription.commit` is told is acknowledged (a restart resumes from there).
   */
  manualCommit?: boolean;
  /** Partitions given to this member (at start and after each rebalance). */
  onAssign?(partitions: readonly number[]): void | Promise<void>;
  /** Partitions taken away; state kept for them must be dropped. */
  onRevoke?(partitions: readonly number[]): void | Promise<void>;
  /** Most messages per batch. */
  maxBatch?: number;
  /**
   * Where the member starts reading. `committed` (default): where the group acknowledged (the beginning
   * of the topic when it never did). `latest`: at the end of each partition when the member joins,
   * acknowledging nothing, so it only sees what is published from then on; for a per-instance live view
   * under a group name of its own. Such a member ignores `manualCommit`, its `commit` does nothing, and a
   * restart or rebalance skips what was published meanwhile.
   */
  start?: "committed" | "latest";
}

export interface Subscription {
  /** Acknowledges every message of `partition` before `nextOffset`. */
  commit(partition: number, nextOffset: number): Promise<void>;
  /**
   * Positions published but not yet acknowledged by this group, per partition (for a `latest` member:
   * not yet handled by it). A position holds one message or several published together.
   */
  lag(): Promise<PartitionLag[]>;
  /** Stops after the batches in flight; idempotent. */
  stop(): Promise<void>;
  /** Settles when the subscription ended: rejects when it failed. */
  readonly done: Promise<void>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}
