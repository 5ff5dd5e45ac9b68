import type { Batch as KafkaBatch, KafkaMessage, Message } from "kafkajs";
import { TickflowError } from "../../errors.ts";
import { partitionFor } from "../partitioner.ts";
import type { IncomingMessage, OutgoingMessage } from "../types.ts";

/** Consecutive messages of one publish call, small enough for one produce request. */
export interface EncodedChunk {
  messages: Message[];
  /** Uncompressed bytes of keys and values (UTF-16 length as a cheap estimate). */
  bytes: number;
}

/**
 * JSON values keyed by partitioning key. The partition is chosen here with the same function as the
 * memory backend, so every backend and every process agree on where a symbol lives. Throws, before
 * anything is queued, on a value without JSON form or a partition the topics do not have.
 */
export const encode = <T>(
  messages: readonly OutgoingMessage<T>[],
  partitions: number,
  maxChunkBytes: number,
): EncodedChunk[] => {
  const chunks: EncodedChunk[] = [];
  let current: EncodedChunk = { messages: [], bytes: 0 };
  for (const message of messages) {
    const value = JSON.stringify(message.value) as string | undefined;
    if (value === undefined)
      throw new TickflowError("INTERNAL", `a message for key ${message.key} has no JSON value`);
    const partition = message.partition ?? partitionFor(message.key, partitions);
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
      throw new TickflowError("INTERNAL", `no partition ${partition}: topics have ${partitions}`);
    }
    const size = value.length + message.key.length;
    if (current.messages.length > 0 && current.bytes + size > maxChunkBytes) {
      chunks.push(current);
      current = { messages: [], bytes: 0 };
    }
    current.messages.push({ key: message.key, value, partition });
    current.bytes += size;
  }
  if (current.messages.length > 0) chunks.push(current);
  return chunks;
};

export interface DecodedBatch<T> {
  messages: IncomingMessage<T>[];
  /** Messages whose value is not JSON; they go to the dead-letter topic. */
  undecodable: KafkaMessage[];
}

export const decode = <T>(batch: KafkaBatch): DecodedBatch<T> => {
  const messages: IncomingMessage<T>[] = [];
  const undecodable: KafkaMessage[] = [];
  for (const message of batch.messages) {
    let value: T;
    try {
      value = JSON.parse(message.value?.toString() ?? "");
    } catch {
      undecodable.push(message);
      continue;
    }
    messages.push({
      key: message.key?.toString() ?? "",
      value,
      partition: batch.partition,
      offset: Number(message.offset),
      timestamp: Number(message.timestamp),
    });
  }
  return { messages, undecodable };
};
