import { expect, test } from "bun:test";
import { PartitionLog } from "../../../src/runtime/transport/memory-log.ts";

/** Appends `count` fresh objects and returns weak references to them (no strong one survives the call). */
const appendValues = (log: PartitionLog, count: number) =>
  Array.from({ length: count }, (_, index) => {
    const value = { index };
    log.append("k", value, 0);
    return new WeakRef(value);
  });

const collected = async (refs: readonly WeakRef<object>[]) => {
  // A WeakRef keeps its target until the job that created it ends.
  await Bun.sleep(0);
  Bun.gc(true);
  return refs.map((ref) => ref.deref() === undefined);
};

test("a trimmed message is released at once, not when the array is next compacted", async () => {
  const log = new PartitionLog(0);
  const refs = appendValues(log, 10);
  log.trimTo(4);
  expect(log.baseOffset).toBe(4);
  expect(log.read(4, 100).map((message) => (message.value as { index: number }).index)).toEqual([
    4, 5, 6, 7, 8, 9,
  ]);
  const released = await collected(refs);
  expect(released.slice(0, 4)).toEqual([true, true, true, true]);
  expect(released.slice(4).some(Boolean)).toBe(false);
  expect(log.read(9, 1)[0]?.value).toEqual({ index: 9 });
});

test("offsets and reads stay right across trims that compact the array", () => {
  const log = new PartitionLog(0);
  for (let round = 0; round < 5; round++) {
    appendValues(log, 1_000);
    log.trimTo(log.endOffset - 10);
  }
  expect(log.baseOffset).toBe(4_990);
  expect(log.endOffset).toBe(5_000);
  expect(log.read(4_995, 3).map((message) => message.offset)).toEqual([4_995, 4_996, 4_997]);
});
