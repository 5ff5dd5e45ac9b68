import fc from "fast-check";
import type { Trade } from "../../../src/modules/contracts/index.ts";

/** A Monday 09:30 UTC; any start works, this one keeps printed timestamps readable. */
const START = Date.UTC(2024, 0, 8, 9, 30);

export interface TapeShape {
  symbols?: number;
  /** Longest gap between consecutive trades, ms. */
  maxGapMs?: number;
  maxLength?: number;
}

/**
 * Trades sorted by event time, with many ties (same millisecond, same price), zero volumes, fractional
 * volumes and gaps; `seq` is the position and `id` is unique.
 */
export const tapeArb = ({ symbols = 3, maxGapMs = 90_000, maxLength = 300 }: TapeShape = {}) =>
  fc
    .array(
      fc.record({
        symbol: fc.integer({ min: 0, max: symbols - 1 }),
        gap: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 2_000 }),
          fc.integer({ min: 0, max: maxGapMs }),
        ),
        cents: fc.oneof(fc.integer({ min: 9_990, max: 10_010 }), fc.integer({ min: 1, max: 1_000_000 })),
        volume: fc.oneof(
          fc.integer({ min: 0, max: 1_000 }),
          fc.double({ min: 0, max: 5, noNaN: true, noDefaultInfinity: true }),
        ),
      }),
      { minLength: 1, maxLength },
    )
    .map((rows) => {
      let timestamp = START;
      return rows.map((row, seq): Trade => {
        timestamp += row.gap;
        return {
          id: `id-${seq}`,
          symbol: `S${row.symbol}`,
          price: row.cents / 100,
          timestamp,
          volume: row.volume,
          conditions: [],
          processed_at: 0,
          source: "property",
          seq,
        };
      });
    });

/**
 * Delays every trade by at most `lateness` ms and returns the arrival order: whatever arrives after a trade
 * was stamped no more than `lateness` before it, so no trade finds its window final.
 */
export const reorderWithin = (trades: readonly Trade[], lateness: number) =>
  fc
    .array(fc.integer({ min: 0, max: lateness }), { minLength: trades.length, maxLength: trades.length })
    .map((delays) =>
      trades
        .map((trade, i) => ({ trade, arrival: trade.timestamp + delays[i]! }))
        .sort((a, b) => a.arrival - b.arrival)
        .map(({ trade }) => trade),
    );
