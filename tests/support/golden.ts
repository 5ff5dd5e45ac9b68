import { join } from "node:path";
import type { Trade } from "../../src/modules/contracts/index.ts";

const fixtures = join(import.meta.dir, "../fixtures");

/** One bar of `aig-ibm-20131007.bars.json` (no mergeable state: see tests/fixtures/README.md). */
export interface GoldenBar {
  symbol: string;
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number | null;
  volatility: number | null;
}

/** The 49,644 real trades of `aig-ibm-20131007.ndjson`, in file order, with ids and seqs by position. */
export const loadGoldenTrades = async (): Promise<Trade[]> => {
  const text = await Bun.file(join(fixtures, "aig-ibm-20131007.ndjson")).text();
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

export const loadGoldenBars = async (): Promise<GoldenBar[]> =>
  (await Bun.file(join(fixtures, "aig-ibm-20131007.bars.json")).json()) as GoldenBar[];

/** Expects `actual` within a relative error of 1e-9 of `expected` (both null, or both numbers). */
export const closeTo = (actual: number | null, expected: number | null) =>
  actual === expected ||
  (actual !== null &&
    expected !== null &&
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));

/** A stored or served 1-minute bar, as far as the golden comparison looks. */
export type ComparableBar = GoldenBar & { final: boolean; rev: number };

const exactFields = ["symbol", "t", "o", "h", "l", "c", "v", "n"] as const;

/**
 * How `bars`, in (symbol, t) order, differ from the 887 golden bars, one line per difference (at most
 * `max`); empty when they are the golden bars, every one final with rev 0 (vw and volatility to 1e-9).
 */
export const goldenDifferences = async (bars: readonly ComparableBar[], max = 20): Promise<string[]> => {
  const expected = await loadGoldenBars();
  const problems: string[] = [];
  if (bars.length !== expected.length) problems.push(`${bars.length} bars instead of ${expected.length}`);
  for (let i = 0; i < Math.min(bars.length, expected.length) && problems.length < max; i++) {
    const bar = bars[i]!;
    const want = expected[i]!;
    const wrong: string[] = [
      ...exactFields.filter((field) => bar[field] !== want[field]),
      ...(["vw", "volatility"] as const).filter((field) => !closeTo(bar[field], want[field])),
    ];
    if (!bar.final) wrong.push("final");
    if (bar.rev !== 0) wrong.push(`rev ${bar.rev}`);
    if (wrong.length > 0) problems.push(`bar ${i} (${want.symbol} ${want.t}): ${wrong.join(", ")}`);
  }
  return problems;
};

/** A trade's content (symbol, time, price, volume, conditions): ids differ between sources of one tape. */
export const tradeContent = (
  trade: Pick<Trade, "symbol" | "timestamp" | "price" | "volume" | "conditions">,
) => `${trade.symbol}|${trade.timestamp}|${trade.price}|${trade.volume}|${trade.conditions.join(",")}`;
