import { expect, test } from "bun:test";
import fc from "fast-check";
import { IdHorizon } from "../../../src/modules/processor/dedup.ts";
import { IdSet } from "../../../src/modules/processor/id-set.ts";

test("IdSet answers like a set of (id, millisecond), through growth and with near-identical ids", () => {
  const id = fc.oneof(
    fc.string(),
    fc.nat(5_000).map((n) => `0123456789abcdef:${n}`),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  const entry = fc.tuple(id, fc.constantFrom(0, 1, 59_999));
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 3_000 }), fc.nat(4_000), (entries, expected) => {
      const set = new IdSet(expected);
      const reference = new Set<string>();
      for (const [value, millis] of entries) {
        const key = `${millis}|${value}`;
        expect(set.add(value, millis)).toBe(!reference.has(key));
        reference.add(key);
      }
      expect(set.size).toBe(reference.size);
    }),
    { numRuns: 100 },
  );
});

test("a busy symbol's windows are sliced by time and every duplicate is still found, in any window", () => {
  const start = Date.UTC(2024, 0, 8, 9, 30);
  const horizon = new IdHorizon(600_000, 5_000);
  const trades = Array.from({ length: 12_000 }, (_, i) => ({
    id: `frame${i >> 4}:${i & 15}`,
    t: start + i * 10,
  }));
  for (const { id, t } of trades) expect(horizon.seen(id, t)).toBe(false);
  const shuffled = fc.sample(fc.shuffledSubarray(trades, { minLength: trades.length }), {
    numRuns: 1,
    seed: 42,
  })[0]!;
  for (const { id, t } of shuffled) expect(horizon.seen(id, t)).toBe(true);
  expect(horizon.seen("frame0:99", start)).toBe(false);
});

test("a window's ids are kept while it is open and forgotten once the watermark reaches its end", () => {
  const start = Date.UTC(2024, 0, 8, 9, 30);
  const horizon = new IdHorizon(1, 5_000); // a horizon shorter than the lateness is raised to it
  expect(horizon.seen("a", start + 59_000)).toBe(false);
  expect(horizon.seen("b", start + 64_999)).toBe(false); // watermark one ms before the window's end
  expect(horizon.seen("a", start + 59_000)).toBe(true);
  expect(horizon.seen("c", start + 65_000)).toBe(false); // watermark at the end: the window is final
  expect(horizon.seen("a", start + 59_000)).toBe(false); // forgotten: the engine handles it as late
});
