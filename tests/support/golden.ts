import { join } from "node:path";
import type { Bar, Trade } from "../../src/modules/contracts/index.ts";

const fixtures = join(import.meta.dir, "../fixtures");

/** The golden tape: 49,644 real AIG and IBM trades of 2013-10-07 as Finnhub frames (tests/fixtures/README.md). */
export const goldenTape = join(fixtures, "aig-ibm-20131007.ndjson");
/** The symbols of the golden tape, in the order of its bars. */
export const goldenSymbols = ["AIG", "IBM"] as const;
/** The UTC day of the golden tape, as a [from, to) range of epoch ms. */
export const goldenDay = { from: Date.UTC(2013, 9, 7), to: Date.UTC(2013, 9, 8) };

/** The values of a bar that comparisons look at. */
export type BarValues = Pick<Bar, "o" | "h" | "l" | "c" | "v" | "n" | "vw" | "volatility">;

/** One bar of `aig-ibm-20131007.bars.json` (no mergeable state: see tests/fixtures/README.md). */
export type GoldenBar = BarValues & Pick<Bar, "symbol" | "t">;

/** A bar of a window with trades as `/v1/bars` serves it. */
export type ServedBar = BarValues & Pick<Bar, "t" | "T" | "final" | "rev">;

/** A stored or served 1-minute bar, as far as the golden comparison looks. */
export type ComparableBar = GoldenBar & Pick<Bar, "final" | "rev">;

/** The 49,644 real trades of the golden tape, in file order, with ids and seqs by position. */
export const loadGoldenTrades = async (): Promise<Trade[]> => {
  const text = await Bun.file(goldenTape).text();
  const trades: Trade[] = [];
  for (const line of text.split("\n")) {
    if (line.length === 0) continue;
    const frame = JSON.parse(line) as { data: { s: string; p: number; t: number; v: number; c: string[] }[] };
    for (const raw of frame.data) {
      const seq = trades.length;
      trades.push({
        id: `golden:${seq}`,
        symbol: raw.s,
        price: raw.p,
        timestamp: raw.t,
        volume: raw.v,
        conditions: raw.c,
        processed_at: raw.t + 5,
        source: "replay:golden",
        seq,
      });
    }
  }
  return trades;
};

/** The 887 golden 1-minute bars, in (symbol, t) order. */
export const loadGoldenBars = async (): Promise<GoldenBar[]> =>
  (await Bun.file(join(fixtures, "aig-ibm-20131007.bars.json")).json()) as GoldenBar[];

/** Equal within a relative error of 1e-9 of the larger magnitude, or within 1e-12; nulls must match. */
export const closeTo = (a: number | null, b: number | null) => {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
};

const differs = (field: string, actual: unknown, expected: unknown) => `${field}: ${actual} != ${expected}`;

/**
 * The fields in which `actual` differs from `expected`: o, h, l, c, n and v exactly, vw and volatility
 * within `closeTo`. `closeVolume` compares v within `closeTo` too, for fractional volumes summed in
 * another order.
 */
export const barDifferences = (
  actual: BarValues,
  expected: BarValues,
  { closeVolume = false } = {},
): string[] => {
  const diffs: string[] = [];
  for (const field of ["o", "h", "l", "c", "n"] as const) {
    if (actual[field] !== expected[field]) diffs.push(differs(field, actual[field], expected[field]));
  }
  if (closeVolume ? !closeTo(actual.v, expected.v) : actual.v !== expected.v) {
    diffs.push(differs("v", actual.v, expected.v));
  }
  for (const field of ["vw", "volatility"] as const) {
    if (!closeTo(actual[field], expected[field])) diffs.push(differs(field, actual[field], expected[field]));
  }
  return diffs;
};

type BarKeyField = "symbol" | "t" | "T" | "final" | "rev";

/**
 * How `bars` differ from `expected`, pairwise in order: a count mismatch, then one line per differing
 * bar (at most `max` lines) naming the differing `fields` (compared exactly) and values (`barDifferences`).
 */
export const barListDifferences = <K extends BarKeyField>(
  bars: readonly (BarValues & Pick<Bar, K | "t">)[],
  expected: readonly (BarValues & Pick<Bar, K | "t">)[],
  fields: readonly K[],
  max = 20,
): string[] => {
  const problems: string[] = [];
  if (bars.length !== expected.length) problems.push(`${bars.length} bars instead of ${expected.length}`);
  for (let i = 0; i < Math.min(bars.length, expected.length) && problems.length < max; i++) {
    const bar = bars[i]!;
    const want = expected[i]!;
    const wrong = [
      ...fields.filter((field) => bar[field] !== want[field]).map((f) => differs(f, bar[f], want[f])),
      ...barDifferences(bar, want),
    ];
    const where = "symbol" in want ? `${want.symbol} ${want.t}` : `${want.t}`;
    if (wrong.length > 0) problems.push(`bar ${i} (${where}): ${wrong.join(", ")}`);
  }
  return problems;
};

/**
 * How `bars`, in (symbol, t) order, differ from the 887 golden bars (see `barListDifferences`); empty
 * when they are the golden bars, every one final with rev 0.
 */
export const goldenDifferences = async (bars: readonly ComparableBar[], max = 20): Promise<string[]> => {
  const expected = (await loadGoldenBars()).map((bar) => ({ ...bar, final: true, rev: 0 }));
  return barListDifferences(bars, expected, ["symbol", "t", "final", "rev"], max);
};

/** A trade's content (symbol, time, price, volume, conditions): ids differ between sources of one tape. */
export const tradeContent = (
  trade: Pick<Trade, "symbol" | "timestamp" | "price" | "volume" | "conditions">,
) => `${trade.symbol}|${trade.timestamp}|${trade.price}|${trade.volume}|${trade.conditions.join(",")}`;

/** `tradeContent` of a trade of `symbol` as `/v1/trades` serves it. */
export const servedTradeContent = (symbol: string, trade: { t: number; p: number; v: number; c: string[] }) =>
  tradeContent({ symbol, timestamp: trade.t, price: trade.p, volume: trade.v, conditions: trade.c });
