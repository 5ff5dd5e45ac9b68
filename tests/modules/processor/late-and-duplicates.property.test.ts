import { expect, test } from "bun:test";
import fc from "fast-check";
import { MINUTE_MS, windowStart } from "../../../src/modules/bars/index.ts";
import type { Trade } from "../../../src/modules/contracts/index.ts";
import { tapeArb } from "./arbitraries.ts";
import {
  barKey,
  finalBars,
  groupByWindow,
  naiveBar,
  processorOptions,
  runEngine,
  sameBar,
} from "./support.ts";

/**
 * A tape, and its arrival with up to 20 copies, each somewhere after its original (a redelivery, or a
 * second ingest instance).
 */
const tapeWithCopies = tapeArb().chain((trades) =>
  fc
    .array(fc.tuple(fc.nat(trades.length - 1), fc.nat(trades.length)), { minLength: 1, maxLength: 20 })
    .map((copies) => {
      const arrival: Trade[] = [...trades];
      for (const [original, at] of copies) {
        const position = arrival.indexOf(trades[original]!);
        arrival.splice(Math.max(position + 1, at), 0, { ...trades[original]! });
      }
      return { trades, arrival };
    }),
);

test("a duplicated id within the dedup horizon never changes a bar and is forwarded once", () => {
  // Copies may arrive hours of event time after their original: the horizon covers the whole tape.
  const options = processorOptions({ dedupHorizonMs: 24 * 3_600_000 });
  fc.assert(
    fc.property(tapeWithCopies, ({ trades, arrival }) => {
      const clean = runEngine(trades, options);
      const duplicated = runEngine(arrival, options);
      expect(finalBars(duplicated)).toEqual(finalBars(clean));
      const forwarded = duplicated.flatMap((m) => (m.kind === "trade" ? [m.trade.id] : []));
      expect(forwarded).toEqual(trades.map((t) => t.id));
    }),
    { numRuns: 200 },
  );
});

test("with the default horizon, a copy is dropped, or its window is corrected from the stored trades", () => {
  // Copies arriving any time after their original; the default horizon (5 s) forgets most ids early.
  fc.assert(
    fc.property(tapeWithCopies, ({ trades, arrival }) => {
      const messages = runEngine(arrival, processorOptions());
      // The writer stores each forwarded trade once (by id) and recomputes a corrected window from them.
      const stored = new Map(messages.flatMap((m) => (m.kind === "trade" ? [[m.trade.id, m.trade]] : [])));
      const storedWindows = groupByWindow([...stored.values()]);
      const corrected = new Set(messages.flatMap((m) => (m.kind === "correction" ? [barKey(m)] : [])));
      const expected = groupByWindow(trades);
      for (const bar of finalBars(messages)) {
        const key = barKey(bar);
        const result = corrected.has(key) ? naiveBar(storedWindows.get(key)!) : bar;
        expect(sameBar(result, naiveBar(expected.get(key)!))).toEqual([]);
      }
    }),
    { numRuns: 300 },
  );
});

test("a trade later than the allowed lateness is forwarded, then a correction of its window follows", () => {
  const scenario = tapeArb({ symbols: 2 }).chain((trades) =>
    fc.record({ trades: fc.constant(trades), held: fc.nat(trades.length - 1), lateness: fc.nat(10_000) }),
  );
  fc.assert(
    fc.property(scenario, ({ trades, held, lateness }) => {
      const late = trades[held]!;
      const t = windowStart(late.timestamp, MINUTE_MS);
      const newest = Math.max(...trades.filter((x) => x.symbol === late.symbol).map((x) => x.timestamp));
      fc.pre(t + MINUTE_MS <= newest - lateness);

      const arrival = [...trades.slice(0, held), ...trades.slice(held + 1), late];
      const messages = runEngine(arrival, processorOptions({ allowedLatenessMs: lateness }));
      const at = messages.findIndex((m) => m.kind === "trade" && m.trade === late);
      expect(messages[at + 1]).toEqual({ kind: "correction", symbol: late.symbol, t });
      expect(messages.filter((m) => m.kind === "correction")).toHaveLength(1);

      // The writer stores every forwarded trade, then recomputes the corrected window from them.
      const stored = messages.flatMap((m) => (m.kind === "trade" ? [m.trade] : []));
      const key = barKey({ symbol: late.symbol, t });
      const window = groupByWindow(trades).get(key)!;
      const recomputed = naiveBar(groupByWindow(stored).get(key)!);
      expect(sameBar(recomputed, naiveBar(window))).toEqual([]);
      // Every other window was final and right without it.
      for (const bar of finalBars(messages)) {
        if (barKey(bar) === key) continue;
        expect(sameBar(bar, naiveBar(groupByWindow(trades).get(barKey(bar))!))).toEqual([]);
      }
    }),
    { numRuns: 300 },
  );
});
