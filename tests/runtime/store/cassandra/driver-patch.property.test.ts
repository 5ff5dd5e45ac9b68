import { expect, test } from "bun:test";
import { types } from "cassandra-driver";
import fc from "fast-check";

/**
 * patches/cassandra-driver@4.10.0.patch (docs/adr/0010) writes request frames into one growing buffer
 * and writes common parameter types straight into it. The driver's own encoder stays as it was, so each
 * fast path must give the bytes of `writeBytes(encoder.encode(value, type))`, and throw where it throws.
 */
// The driver's internals have no typings.
const { FrameWriter } = require("cassandra-driver/lib/writers.js");
const Encoder = require("cassandra-driver/lib/encoder.js");
const { BatchRequest } = require("cassandra-driver/lib/requests.js");
const { dataTypes, Long } = types;

interface Writer {
  writeValue(encoder: unknown, value: unknown, type: unknown): void;
  writeBytes(bytes: unknown): void;
  writeInt(value: number): void;
  writeShort(value: number): void;
  writeByte(value: number): void;
  writeString(value: string): void;
  write(version: number, streamId: number): Buffer;
}

const OPCODE_EXECUTE = 0x0a;
const encoder = new Encoder(5, { encoding: { useUndefinedAsUnset: true } });
const type = (code: number, info: unknown = null) => ({ code, info });

/** The frame of one value written by `write`, or the error's class when it throws. */
const frameOf = (write: (writer: Writer) => void) => {
  const writer: Writer = new FrameWriter(OPCODE_EXECUTE);
  try {
    // A few bytes first, so values start at an odd offset.
    writer.writeByte(7);
    write(writer);
    return writer.write(5, 1).toString("hex");
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  }
};

const sameAsEncoder = (value: unknown, columnType: unknown) =>
  expect(frameOf((w) => w.writeValue(encoder, value, columnType))).toBe(
    frameOf((w) => w.writeBytes(encoder.encode(value, columnType))),
  );

const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), 2 ** 53, Number.NaN, Infinity),
);
const anyValue = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(text, { maxLength: 4 }),
  fc.array(fc.oneof(text, number), { maxLength: 3 }),
);
const columnType = fc.oneof(
  fc
    .constantFrom(
      dataTypes.text,
      dataTypes.varchar,
      dataTypes.ascii,
      dataTypes.int,
      dataTypes.bigint,
      dataTypes.timestamp,
      dataTypes.double,
      dataTypes.float,
      dataTypes.boolean,
    )
    .map((code) => type(code)),
  fc
    .constantFrom(dataTypes.text, dataTypes.varchar, dataTypes.int)
    .map((code) => type(dataTypes.list, type(code))),
  fc.constant(null),
);

test("every value is written as the encoder writes it, whatever its column type", () => {
  fc.assert(
    fc.property(anyValue, columnType, (value, columnType) => sameAsEncoder(value, columnType)),
    { numRuns: 20_000 },
  );
});

test("values of each column's own type are written as the encoder writes them", () => {
  const typed: [fc.Arbitrary<unknown>, ReturnType<typeof type>][] = [
    [text, type(dataTypes.text)],
    [fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), type(dataTypes.int)],
    [fc.maxSafeInteger(), type(dataTypes.bigint)],
    [fc.maxSafeInteger(), type(dataTypes.timestamp)],
    [fc.double(), type(dataTypes.double)],
    [fc.boolean(), type(dataTypes.boolean)],
    [fc.array(text, { maxLength: 5 }), type(dataTypes.list, type(dataTypes.text))],
  ];
  for (const [values, columnType] of typed) {
    fc.assert(
      fc.property(values, (value) => sameAsEncoder(value, columnType)),
      { numRuns: 2_000 },
    );
  }
});

test("a frame larger than the first buffer keeps every byte written before it grew", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 3_000, size: "max" }),
      (numbers) => {
        const writer: Writer = new FrameWriter(OPCODE_EXECUTE);
        for (const n of numbers) {
          writer.writeShort(n);
          writer.writeInt(-n);
          writer.writeByte(n);
        }
        const body = writer.write(5, 1).subarray(9);
        const expected = Buffer.alloc(numbers.length * 7);
        numbers.forEach((n, i) => {
          expected.writeUInt16BE(n, i * 7);
          expected.writeInt32BE(-n, i * 7 + 2);
          expected[i * 7 + 6] = n & 0xff;
        });
        expect(body.toString("hex")).toBe(expected.toString("hex"));
      },
    ),
    { numRuns: 200 },
  );
});

test("a batch of prepared inserts is one frame holding every row's values", () => {
  const columns = [type(dataTypes.text), type(dataTypes.timestamp), type(dataTypes.double)].map((t, i) => ({
    name: `c${i}`,
    type: t,
  }));
  const rows = Array.from({ length: 300 }, (_, i) => ({
    query: "INSERT",
    queryId: Buffer.alloc(16, 1),
    meta: { columns },
    params: [`SYM${i}`, 1_709_300_000_000 + i, 100 + i / 4],
  }));
  const options = {
    getOrGenerateTimestamp: () => Long.fromNumber(1),
    getHints: () => null,
    isBatchCounter: () => false,
    isBatchLogged: () => false,
    isQueryTracing: () => false,
    getCustomPayload: () => null,
    getConsistency: () => 6,
    getSerialConsistency: () => null,
    getKeyspace: () => null,
  };
  const frame: Buffer = new BatchRequest(rows, options).write(encoder, 3);
  const body = frame.subarray(9);
  expect(frame.readInt32BE(5)).toBe(body.length);
  // type, row count, then per row: kind, id, value count, values.
  expect(body[0]).toBe(1);
  expect(body.readUInt16BE(1)).toBe(300);
  let offset = 3;
  for (const row of rows) {
    expect(body[offset]).toBe(1);
    offset += 1 + 2 + 16;
    expect(body.readUInt16BE(offset)).toBe(3);
    offset += 2;
    const symbolLength = body.readInt32BE(offset);
    expect(body.toString("utf8", offset + 4, offset + 4 + symbolLength)).toBe(row.params[0] as string);
    offset += 4 + symbolLength;
    expect(body.readInt32BE(offset)).toBe(8);
    expect(Number(body.readBigInt64BE(offset + 4))).toBe(row.params[1] as number);
    offset += 12;
    expect(body.readDoubleBE(offset + 4)).toBe(row.params[2] as number);
    offset += 12;
  }
});
