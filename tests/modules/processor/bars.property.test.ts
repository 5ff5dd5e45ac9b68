import { expect, test } from "bun:test";
import fc from "fast-check";
import {
  accumulateTrades,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  mergeBars,
  windowStart,
} from "../../../src/modules/bars/index.ts";
import type { Bar } from "../../../src/modules/contracts/index.ts";
import { reorderWithin, tapeArb } from "./arbitraries.ts";
import {
  barKey,
  finalBars,
  groupByWindow,
  naiveBar,
  processorOptions,
  runEngine,
  sameBar,
  valuesOf,
} from "./support.ts";

const byKey = (bars: readonly Bar[]) => new Map(bars.map((bar) => [barKey(bar), bar]));

test("final bars equal a naive recomputation from the trades, one final bar per minute with trades", () => {
  fc.assert(
    fc.property(tapeArb(), (trades) => {
      const bars = byKey(finalBars(runEngine(trades)));
      const groups = groupByWindow(trades);
      expect([...bars.keys()].sort()).toEqual([...groups.keys()].sort());
      for (const [key, group] of groups) expect(sameBar(bars.get(key)!, naiveBar(group))).toEqual([]);
    }),
    { numRuns: 200 },
  );
});

test("any reordering within the allowed lateness gives the same final bars", () => {
  const scenario = fc
    .tuple(tapeArb(), fc.integer({ min: 0, max: 20_000 }))
    .chain(([trades, lateness]) =>
      reorderWithin(trades, lateness).map((arrival) => ({ trades, lateness, arrival })),
    );
  fc.assert(
    fc.property(scenario, ({ trades, lateness, arrival }) => {
      const options = processorOptions({ allowedLatenessMs: lateness });
      const inOrder = runEngine(trades, options);
      const shuffled = runEngine(arrival, options);
      expect(shuffled.filter((m) => m.kind === "correction")).toEqual([]);
      const expected = byKey(finalBars(inOrder));
      const actual = finalBars(shuffled);
      expect(actual).toHaveLength(expected.size);
      for (const bar of actual) expect(sameBar(bar, expected.get(barKey(bar))!)).toEqual([]);
    }),
    { numRuns: 200 },
  );
});

test("merged 1-minute bars equal 5m, 1h and 1d bars computed directly from the trades", () => {
  const tape = tapeArb({ symbols: 2, maxGapMs: 4 * HOUR_MS, maxLength: 400 });
  fc.assert(
    fc.property(tape, fc.constantFrom(5 * MINUTE_MS, HOUR_MS, DAY_MS), (trades, size) => {
      const minutes = new Map<string, Bar[]>();
      for (const bar of finalBars(runEngine(trades))) {
        const key = barKey({ symbol: bar.symbol, t: windowStart(bar.t, size) });
        minutes.set(key, [...(minutes.get(key) ?? []), bar]);
      }
      const direct = groupByWindow(trades, size);
      expect([...minutes.keys()].sort()).toEqual([...direct.keys()].sort());
      for (const [key, group] of direct) {
        expect(sameBar(valuesOf(mergeBars(minutes.get(key)!)), valuesOf(accumulateTrades(group)))).toEqual(
          [],
        );
      }
    }),
    { numRuns: 200 },
  );
});
