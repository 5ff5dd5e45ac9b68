import type { EachBatchPayload, KafkaMessage, Offsets } from "kafkajs";
import type { Logger } from "../../logger.ts";
import { retry } from "../../retry.ts";
import { redeliveryBackoff } from "../redelivery.ts";
import type { SubscribeOptions } from "../types.ts";
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
  /** Commits through `send` (the batch's own commit, valid even while stopping). */
  commit(partition: number, nextOffset: number, send: (offsets: Offsets) => Promise<void>): Promise<void>;
  deadLetter(partition: number, messages: readonly KafkaMessage[]): Promise<void>;
  fail(error: unknown): void;
  logger: Logger;
}

type Payload = Pick<
  EachBatchPayload,
  "batch" | "resolveOffset" | "heartbeat" | "isRunning" | "isStale" | "pause" | "commitOffsetsIfNecessary"
>;

/**
 * Heartbeats while a batch is handled, so a slow or retrying handler keeps its membership; its signal
 * aborts once the group rebalances without this member, so no further slice starts.
 */
const keepMembership = (payload: Payload, intervalMs: number) => {
  const lost = new AbortController();
  const timer = setInterval(() => {
    payload.heartbeat().catch((error: unknown) => {
      if (isMembershipLost(error)) lost.abort(error);
    });
  }, intervalMs);
  return { signal: lost.signal, stop: () => clearInterval(timer) };
};

/**
 * End of the slice from `start`: `maxBatch` messages, or more to finish the last one's record, since the
 * messages of a packed record share its offset and only whole records can be acknowledged.
 */
const sliceEnd = (messages: readonly { offset: number }[], start: number, maxBatch: number) => {
  let end = Math.min(messages.length, start + maxBatch);
  while (end < messages.length && messages[end]!.offset === messages[end - 1]!.offset) end++;
  return end;
};

/**
 * kafkajs `eachBatch`: decodes the fetched messages, dead-letters those that are not JSON and hands the
 * rest to `onBatch` in slices of `maxBatch` (retrying retryable failures), marking each slice consumed once
 * `onBatch` resolved. A slice in flight always finishes; no new one starts once the subscription stops, the
 * group rebalances or the handler failed for good (the subscription then fails). Unless commits are manual,
 * what was handled is committed at the end, through the batch's own commit so that it also lands while the
 * subscription stops; the unhandled rest stays uncommitted for the partition's next owner.
 */
export const createBatchHandler =
  <T>(deps: BatchHandlerDeps<T>) =>
  async (payload: Payload): Promise<void> => {
    const { batch, resolveOffset, isRunning, isStale } = payload;
    const { partition } = batch;
    await deps.assignment.settled();
    const owned = () => !isStale() && deps.assignment.owns(partition);
    if (!owned() || !isRunning() || deps.signal.aborted) return;

    const { messages, undecodable } = decode<T>(batch);
    if (undecodable.length > 0) {
      try {
        await deps.deadLetter(partition, undecodable);
      } catch (error) {
        if (!deps.signal.aborted) deps.fail(error);
        return;
      }
    }

    const membership = keepMembership(payload, deps.heartbeatIntervalMs);
    const signal = AbortSignal.any([deps.signal, membership.signal]);
    const current = () => owned() && isRunning() && !signal.aborted;
    const maxBatch = deps.options.maxBatch ?? 1_000;
    let handled = -1;
    try {
      for (let start = 0, end = 0; start < messages.length && current(); start = end) {
        end = sliceEnd(messages, start, maxBatch);
        const slice = messages.slice(start, end);
        await retry(() => deps.options.onBatch({ topic: deps.topic, partition, messages: slice }), {
          policy: redeliveryBackoff,
          signal,
        });
        handled = slice.at(-1)!.offset;
        resolveOffset(String(handled));
      }
      if (current()) {
        // Also steps over undecodable messages after the last decodable one.
        handled = Number(batch.lastOffset());
        resolveOffset(String(handled));
      }
    } catch (error) {
      if (!signal.aborted) {
        payload.pause();
        deps.fail(error);
      }
    } finally {
      membership.stop();
      if (!deps.options.manualCommit && handled >= 0 && owned()) {
        await deps
          .commit(partition, handled + 1, (offsets) => payload.commitOffsetsIfNecessary(offsets))
          .catch((error: unknown) =>
            deps.logger.warn({ err: error, partition }, "commit failed; a later one covers it"),
          );
      }
    }
  };
