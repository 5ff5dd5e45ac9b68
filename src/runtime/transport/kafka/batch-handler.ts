import type { EachBatchPayload, KafkaMessage } from "kafkajs";
import { retry } from "../../retry.ts";
import { redeliveryBackoff } from "../redelivery.ts";
import type { Batch, SubscribeOptions } from "../types.ts";
import type { Assignment } from "./assignment.ts";
import { decode } from "./codec.ts";
import { isMembershipLost } from "./errors.ts";

export interface BatchHandlerDeps<T> {
  /** Logical topic name, as the subscriber knows it. */
  topic: string;
  options: SubscribeOptions<T>;
  assignment: Assignment;
  /** Aborts when the subscription stops. */
  signal: AbortSignal;
  heartbeatIntervalMs: number;
  commit(partition: number, nextOffset: number): Promise<void>;
  deadLetter(partition: number, messages: readonly KafkaMessage[]): Promise<void>;
  fail(error: unknown): void;
}

type Payload = Pick<
  EachBatchPayload,
  "batch" | "resolveOffset" | "heartbeat" | "isRunning" | "isStale" | "pause"
>;

/**
 * Runs `onBatch` until it succeeds, heartbeating meanwhile so a slow or retrying handler keeps its
 * membership. False when the batch was abandoned: the subscription is stopping, the partition moved to
 * another member, or the handler failed for good (the subscription then fails).
 */
const deliver = async <T>(deps: BatchHandlerDeps<T>, batch: Batch<T>, payload: Payload): Promise<boolean> => {
  const lost = new AbortController();
  const keepAlive = setInterval(() => {
    payload.heartbeat().catch((error: unknown) => {
      if (isMembershipLost(error)) lost.abort(error);
    });
  }, deps.heartbeatIntervalMs);
  const signal = AbortSignal.any([deps.signal, lost.signal]);
  try {
    await retry(() => deps.options.onBatch(batch), { policy: redeliveryBackoff, signal });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    payload.pause();
    deps.fail(error);
    return false;
  } finally {
    clearInterval(keepAlive);
  }
};

/**
 * kafkajs `eachBatch`: decodes the fetched messages, dead-letters those that are not JSON, hands the rest
 * to `onBatch` in slices of `maxBatch` and marks each slice consumed once `onBatch` resolved (committing
 * it too, unless commits are manual). A batch abandoned midway is neither marked nor committed, so the
 * partition's next owner (or this member after rejoining) gets it again.
 */
export const createBatchHandler =
  <T>(deps: BatchHandlerDeps<T>) =>
  async (payload: Payload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { partition } = batch;
    await deps.assignment.settled();
    const current = () =>
      isRunning() && !isStale() && !deps.signal.aborted && deps.assignment.owns(partition);
    if (!current()) return;

    const acknowledge = async (offset: number) => {
      resolveOffset(String(offset));
      if (!deps.options.manualCommit) await deps.commit(partition, offset + 1);
    };

    const { messages, undecodable } = decode<T>(batch);
    if (undecodable.length > 0) {
      try {
        await deps.deadLetter(partition, undecodable);
      } catch (error) {
        if (!deps.signal.aborted) deps.fail(error);
        return;
      }
    }
    const maxBatch = deps.options.maxBatch ?? 1_000;
    for (let start = 0; start < messages.length; start += maxBatch) {
      const slice = messages.slice(start, start + maxBatch);
      if (!current() || !(await deliver(deps, { topic: deps.topic, partition, messages: slice }, payload)))
        return;
      await acknowledge(slice.at(-1)!.offset);
      await heartbeat();
    }
    const last = Number(batch.lastOffset());
    if (current() && last > (messages.at(-1)?.offset ?? -1)) await acknowledge(last);
  };
