import { describe, expect, test } from "bun:test";
import type { Batch as KafkaBatch } from "kafkajs";
import { decode, encode, PACKED_HEADER } from "../../../../src/runtime/transport/kafka/codec.ts";
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

  test("packs each key's messages into one record per chunk, in order; a control message follows all before it", () => {
    const [chunk, ...rest] = encode(
      [
        { key: "A", value: { n: 1 } },
        { key: "B", value: { n: 2 } },
        { key: "A", value: { n: 3 } },
        { key: "end", value: { n: 4 }, partition: 0 },
        { key: "A", value: { n: 5 } },
      ],
      1,
      1_000,
    );
    expect(rest).toEqual([]);
    expect(chunk!.messages).toEqual([
      { key: "A", value: '[{"n":1},{"n":3}]', partition: 0, headers: { [PACKED_HEADER]: "1" } },
      { key: "B", value: '{"n":2}', partition: 0 },
      { key: "end", value: '{"n":4}', partition: 0 },
      { key: "A", value: '{"n":5}', partition: 0 },
    ]);
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

  test("a packed record gives its messages, sharing its position; one that is not an array is undecodable", () => {
    const packed = batch(['[{"n":1},{"n":2}]', '{"n":3}']);
    const notArray = batch(['{"n":4}']);
    for (const b of [packed, notArray]) {
      (b.messages[0] as { headers?: Record<string, Buffer> }).headers = { [PACKED_HEADER]: Buffer.from("1") };
    }
    expect(decode<{ n: number }>(packed).messages.map((m) => [m.value.n, m.offset])).toEqual([
      [1, 40],
      [2, 40],
      [3, 41],
    ]);
    expect(decode(notArray)).toMatchObject({ messages: [], undecodable: [{ offset: "40" }] });
  });

  test("parses JSON values with their position and sets aside what is not JSON", () => {
    const { messages, undecodable } = decode<{ n: number }>(batch(['{"n":1}', "{oops", null, '{"n":2}']));
    expect(messages).toEqual([
      { key: "K", value: { n: 1 }, partition: 2, offset: 40, timestamp: 1_700_000_000_000 },
      { key: "K", value: { n: 2 }, partition: 2, offset: 43, timestamp: 1_700_000_000_000 },
    ]);
    expect(undecodable.map((message) => message.offset)).toEqual(["41", "42"]);
  });
});
