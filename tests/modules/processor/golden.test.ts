import { expect, test } from "bun:test";
import { join } from "node:path";
import type { Trade } from "../../../src/modules/contracts/index.ts";
import { close, finalBars, runEngine } from "./support.ts";

const fixtures = join(import.meta.dir, "../../fixtures");

interface GoldenBar {
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

const loadTrades = async (): Promise<Trade[]> => {
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
        processed_at: 0,
        source: "replay:golden",
        seq,
      });
    }
  }
  return trades;
};

test("every trade of the golden file, then end of input, gives exactly the 887 golden bars", async () => {
  const trades = await loadTrades();
  const golden = (await Bun.file(join(fixtures, "aig-ibm-20131007.bars.json")).json()) as GoldenBar[];
  expect(trades).toHaveLength(49_644);

  const messages = runEngine(trades);
  expect(messages.filter((m) => m.kind === "trade")).toHaveLength(49_644);
  expect(messages.filter((m) => m.kind === "correction")).toHaveLength(0);
  const bars = finalBars(messages);
  expect(bars).toHaveLength(887);

  const mismatches: string[] = [];
  bars.forEach((bar, i) => {
    const want = golden[i]!;
    const exact = (["symbol", "t", "o", "h", "l", "c", "v", "n"] as const).filter((f) => bar[f] !== want[f]);
    const approx = (["vw", "volatility"] as const).filter((f) => !close(bar[f], want[f]));
    if (exact.length + approx.length > 0)
      mismatches.push(`${want.symbol}@${want.t}: ${[...exact, ...approx]}`);
  });
  expect(mismatches).toEqual([]);
  expect(bars.every((bar) => bar.T === bar.t + 60_000 && bar.rev === 0)).toBe(true);
});
