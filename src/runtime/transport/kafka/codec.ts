import type { Batch as KafkaBatch, KafkaMessage, Message } from "kafkajs";
import { getOrCreate } from "../../collections.ts";
import { TickflowError } from "../../errors.ts";
import { partitionFor } from "../partitioner.ts";
import type { IncomingMessage, OutgoingMessage } from "../types.ts";

/** Records of one publish call, in order, small enough for one produce request. */
export interface EncodedChunk {
  messages: Message[];
  /** Uncompressed bytes of keys and values (UTF-16 length as a cheap estimate). */
  bytes: number;
}

/**
 * Header of a record that carries several messages of its key: its value is the JSON array of their
 * values. A record without it carries one message.
 */
export const PACKED_HEADER = "tickflow-packed";

interface OpenRecord {
  key: string;
  partition: number;
  values: string[];
}

const toRecord = ({ key, partition, values }: OpenRecord): Message =>
  values.length === 1
    ? { key, value: values[0]!, partition }
    : { key, value: `[${values.join(",")}]`, partition, headers: { [PACKED_HEADER]: "1" } };

/**
 * JSON values keyed by partitioning key, the messages of each key packed into one record per request
 * (docs/adr/0009): Kafka's cost is per record, and a trade is small. Packing keeps the order of each key;
 * a message with an explicit partition (a control message) comes after everything published before it,
 * as its own record. The partition is chosen here with the same function as the memory backend, so every
 * backend and every process agree on where a symbol lives. Throws, before anything is queued, on a value
 * without JSON form or a partition the topics do not have.
 */
export const encode = <T>(
  messages: readonly OutgoingMessage<T>[],
  partitions: number,
  maxChunkBytes: number,
): EncodedChunk[] => {
  const chunks: EncodedChunk[] = [];
  let chunk: EncodedChunk = { messages: [], bytes: 0 };
  /** Records being filled, by partition and key, in the order of their first message. */
  let open = new Map<string, OpenRecord>();
  const closeRecords = () => {
    for (const record of open.values()) chunk.messages.push(toRecord(record));
    open = new Map();
  };
  const closeChunk = () => {
    closeRecords();
    if (chunk.messages.length > 0) chunks.push(chunk);
    chunk = { messages: [], bytes: 0 };
  };
  for (const message of messages) {
    const value = JSON.stringify(message.value) as string | undefined;
    if (value === undefined)
      throw new TickflowError("INTERNAL", `a message for key ${message.key} has no JSON value`);
    const partition = message.partition ?? partitionFor(message.key, partitions);
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
      throw new TickflowError("INTERNAL", `no partition ${partition}: topics have ${partitions}`);
    }
    const size = value.length + message.key.length;
    if (chunk.bytes > 0 && chunk.bytes + size > maxChunkBytes) closeChunk();
    chunk.bytes += size;
    if (message.partition !== undefined) {
      closeRecords();
      chunk.messages.push({ key: message.key, value, partition });
      continue;
    }
    getOrCreate(open, `${partition}:${message.key}`, () => ({
      key: message.key,
      partition,
      values: [],
    })).values.push(value);
  }
  closeChunk();
  return chunks;
};

export interface DecodedBatch<T> {
  messages: IncomingMessage<T>[];
  /** Messages whose value is not JSON; they go to the dead-letter topic. */
  undecodable: KafkaMessage[];
}

/** The messages of a fetched batch; those of a packed record share its offset. */
export const decode = <T>(batch: KafkaBatch): DecodedBatch<T> => {
  const messages: IncomingMessage<T>[] = [];
  const undecodable: KafkaMessage[] = [];
  for (const message of batch.messages) {
    let value: unknown;
    try {
      value = JSON.parse(message.value?.toString() ?? "");
    } catch {
      undecodable.push(message);
      continue;
    }
    const packed = message.headers?.[PACKED_HEADER] !== undefined;
    if (packed && !Array.isArray(value)) {
      undecodable.push(message);
      continue;
    }
    const key = message.key?.toString() ?? "";
    const offset = Number(message.offset);
    const timestamp = Number(message.timestamp);
    for (const one of packed ? (value as T[]) : [value as T]) {
      messages.push({ key, value: one, partition: batch.partition, offset, timestamp });
    }
  }
  return { messages, undecodable };
};
