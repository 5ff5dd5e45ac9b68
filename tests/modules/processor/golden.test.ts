import { expect, test } from "bun:test";
import { goldenDifferences, loadGoldenTrades } from "../../support/golden.ts";
import { finalBars, runEngine } from "./support.ts";

test("every trade of the golden file, then end of input, gives exactly the 887 golden bars", async () => {
  const trades = await loadGoldenTrades();
  expect(trades).toHaveLength(49_644);

  const messages = runEngine(trades);
  expect(messages.filter((m) => m.kind === "trade")).toHaveLength(49_644);
  expect(messages.filter((m) => m.kind === "correction")).toHaveLength(0);
  const bars = finalBars(messages);
  expect(bars).toHaveLength(887);
  expect(await goldenDifferences(bars)).toEqual([]);
  expect(bars.every((bar) => bar.T === bar.t + 60_000 && bar.rev === 0)).toBe(true);
});
