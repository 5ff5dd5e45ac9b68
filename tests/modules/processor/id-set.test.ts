import { expect, test } from "bun:test";
import fc from "fast-check";
import { IdSet } from "../../../src/modules/processor/id-set.ts";

test("IdSet answers like Set<string>, through growth and with near-identical ids", () => {
  const id = fc.oneof(
    fc.string(),
    fc.nat(5_000).map((n) => `0123456789abcdef:${n}`),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  fc.assert(
    fc.property(fc.array(id, { maxLength: 3_000 }), (ids) => {
      const set = new IdSet();
      const reference = new Set<string>();
      for (const value of ids) {
        expect(set.add(value)).toBe(!reference.has(value));
        reference.add(value);
      }
      expect(set.size).toBe(reference.size);
    }),
    { numRuns: 100 },
  );
});
