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

test("a busy symbol's ids within the horizon are all found again, in any order and any window", () => {
  const start = Date.UTC(2024, 0, 8, 9, 30);
  const horizon = new IdHorizon(600_000, 5_000);
  const trades = Array.from({ length: 12_000 }, (_, i) => ({
    id: `frame${i >> 4}:${i & 15}`,
    t: start + i * 10,
  }));
  for (const { id, t } of trades) expect(horizon.check(id, t)).toBe("new");
  const shuffled = fc.sample(fc.shuffledSubarray(trades, { minLength: trades.length }), {
    numRuns: 1,
    seed: 42,
  })[0]!;
  for (const { id, t } of shuffled) expect(horizon.check(id, t)).toBe("duplicate");
  expect(horizon.check("frame0:99", start)).toBe("new");
});

test("ids are forgotten by slice of event time once the horizon is past the slice's end", () => {
  const start = Date.UTC(2024, 0, 8, 9, 30);
  // A horizon shorter than the lateness is raised to it: 5 s, so a minute is cut into slices of 5 s.
  const horizon = new IdHorizon(1, 5_000);
  expect(horizon.check("a", start + 10_000)).toBe("new");
  expect(horizon.check("b", start + 19_999)).toBe("new"); // forgets the slices ending at 5 and 10 s
  expect(horizon.check("a", start + 10_000)).toBe("duplicate");
  expect(horizon.check("c", start + 20_000)).toBe("new"); // forgets the slice [10 s, 15 s)
  expect(horizon.check("a", start + 10_000)).toBe("unchecked");
  expect(horizon.check("never seen", start + 14_999)).toBe("unchecked");
  expect(horizon.check("b", start + 19_999)).toBe("duplicate");
  // The last slice of a window is kept across the turn of the minute for the horizon.
  expect(horizon.check("d", start + 59_000)).toBe("new");
  expect(horizon.check("e", start + 64_999)).toBe("new");
  expect(horizon.check("d", start + 59_000)).toBe("duplicate");
  expect(horizon.check("f", start + 65_000)).toBe("new"); // the whole first window is forgotten: final
  expect(horizon.check("d", start + 59_000)).toBe("unchecked");
  expect(horizon.check("e", start + 64_999)).toBe("duplicate");
});

test("the ids remembered follow the horizon, not the minute", () => {
  const start = Date.UTC(2024, 0, 8, 9, 30);
  const horizon = new IdHorizon(5_000, 5_000);
  let most = 0;
  // 100 trades a second for three minutes: a minute holds 6,000 ids, the horizon 500. In the third
  // minute, every slice held was sized from a full minute before it.
  for (let i = 0; i < 18_000; i++) {
    expect(horizon.check(`frame${i}:0`, start + i * 10)).toBe("new");
    if (i >= 12_000) most = Math.max(most, horizon.bytes);
  }
  // Two slices of 5 s at most (the one filling and the one the horizon still covers), each sized for
  // its 500 ids plus some: about 10 KB, where keeping the minute took about 60 KB.
  expect(most).toBeLessThan(12_000);
});
