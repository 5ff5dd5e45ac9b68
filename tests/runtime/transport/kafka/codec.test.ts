import { describe, expect, test } from "bun:test";
import type { Batch as KafkaBatch } from "kafkajs";
import { decode, encode } from "../../../../src/runtime/transport/kafka/codec.ts";
import { partitionFor } from "../../../../src/runtime/transport/partitioner.ts";

describe("encode", () => {
  test("keeps order, places keys like the memory backend and splits by request size", () => {
    const messages = Array.from({ length: 10 }, (_, n) => ({ key: `K${n}`, value: { n } }));
    const chunks = encode(messages, 4, 40);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.bytes <= 40)).toBe(true);
    const flat = chunks.flatMap((chunk) => chunk.messages);
    expect(flat.map((message) => JSON.parse(String(message.value)).n)).toEqual(
      messages.map((m) => m.value.n),
    );
    expect(flat.map((message) => message.partition)).toEqual(messages.map((m) => partitionFor(m.key, 4)));
  });

  test("an explicit partition wins; one the topics do not have is refused", () => {
    expect(encode([{ key: "end", value: 1, partition: 3 }], 4, 1_000)[0]!.messages[0]!.partition).toBe(3);
    expect(() => encode([{ key: "end", value: 1, partition: 4 }], 4, 1_000)).toThrow("no partition 4");
  });

  test("a value without JSON form is refused before anything is queued", () => {
    expect(() => encode([{ key: "K", value: undefined }], 4, 1_000)).toThrow("no JSON value");
  });
});

describe("decode", () => {
  const batch = (values: (string | null)[]) =>
    ({
      partition: 2,
      messages: values.map((value, index) => ({
        key: Buffer.from("K"),
        value: value === null ? null : Buffer.from(value),
        offset: String(40 + index),
        timestamp: "1700000000000",
      })),
    }) as unknown as KafkaBatch;

  test("parses JSON values with their position and sets aside what is not JSON", () => {
    const { messages, undecodable } = decode<{ n: number }>(batch(['{"n":1}', "{oops", null, '{"n":2}']));
    expect(messages).toEqual([
      { key: "K", value: { n: 1 }, partition: 2, offset: 40, timestamp: 1_700_000_000_000 },
      { key: "K", value: { n: 2 }, partition: 2, offset: 43, timestamp: 1_700_000_000_000 },
    ]);
    expect(undecodable.map((message) => message.offset)).toEqual(["41", "42"]);
  });
});
