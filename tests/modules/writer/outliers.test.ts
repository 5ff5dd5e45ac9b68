import { afterEach, describe, expect, test } from "bun:test";
import { MINUTE_MS } from "../../../src/modules/bars/index.ts";
import {
  type Bar,
  compareTrades,
  type ProcessedMessage,
  type Trade,
} from "../../../src/modules/contracts/index.ts";
import { PartitionEngine } from "../../../src/modules/processor/index.ts";
import { processorOptions } from "../processor/support.ts";
import { barOf, makeTrade, metricTotal, startHarness, T0, type WriterHarness } from "./harness.ts";

const values = ({ updated_at: _, ...rest }: Bar) => rest;
const flaggedSeqs = (messages: readonly ProcessedMessage[]) =>
  messages.flatMap((m) => (m.kind === "trade" && m.outlier ? [m.trade.seq] : []));

let h: WriterHarness;
afterEach(() => h.cleanup());

for (const outlierExclude of [true, false]) {
  describe(`with OUTLIER_EXCLUDE=${outlierExclude}`, () => {
    test(`corrections and replayed final bars recompute the processor's bar, outliers ${outlierExclude ? "left out" : "kept"}`, async () => {
      h = await startHarness({ outlierExclude });
      const symbol = outlierExclude ? "OXON" : "OXOFF";
      // The real processor, so that the writer is held to the bars it makes.
      const engine = new PartitionEngine(processorOptions({ outlierWindow: 20, outlierExclude }));
      let offset = 0;
      /** The trades of minute 0 the processor put into its bar, by the messages it sent. */
      const kept: Trade[] = [];
      const processAndStore = async (trades: readonly Trade[]) => {
        const out: ProcessedMessage[] = [];
        for (const trade of trades) engine.ingest(trade, offset++, 0, out);
        for (const m of out) {
          if (m.kind === "trade" && m.trade.timestamp < T0 + MINUTE_MS && !(outlierExclude && m.outlier))
            kept.push(m.trade);
        }
        await h.publish(out);
        await h.flush();
        return out;
      };
      const storedBar = async () => (await h.store.getBars(symbol, [T0]))[0];
      const recomputed = (rev: number) => values(barOf(kept.toSorted(compareTrades), true, rev));
      const corrections = () => metricTotal(h.registry, "bars_corrected_total");

      // Minute 0: twenty prices near 100, then a spike; a trade of minute 1 makes minute 0 final.
      const onTime = await processAndStore([
        ...Array.from({ length: 20 }, (_, seq) =>
          makeTrade(symbol, seq, T0 + seq * 1_000, { price: 100 + (seq % 3) }),
        ),
        makeTrade(symbol, 20, T0 + 20_000, { price: 150 }),
        makeTrade(symbol, 21, T0 + MINUTE_MS + 10_000, { price: 101 }),
      ]);
      expect(flaggedSeqs(onTime)).toEqual([20]);
      const final = onTime.flatMap((m) => (m.kind === "bar" ? [m.bar] : []));
      expect(final).toEqual([expect.objectContaining({ t: T0, final: true, n: outlierExclude ? 20 : 21 })]);
      expect(await storedBar()).toEqual(final[0]!);

      // Redelivered after a crash: the final bar again means "recompute from the stored trades".
      await h.publish(onTime);
      await h.flush();
      expect(await storedBar()).toEqual(final[0]!);
      expect(await corrections()).toBe(0);

      // A late trade: its correction is the processor's bar with the late trade in, at rev 1.
      const late = await processAndStore([makeTrade(symbol, 22, T0 + 30_000, { price: 101 })]);
      expect(late.map((m) => m.kind)).toEqual(["trade", "correction"]);
      expect(flaggedSeqs(late)).toEqual([]);
      expect(values((await storedBar())!)).toEqual(recomputed(1));

      // A late outlier changes the bar only where outliers stay in.
      const spike = await processAndStore([makeTrade(symbol, 23, T0 + 40_000, { price: 200 })]);
      expect(flaggedSeqs(spike)).toEqual([23]);
      const expected = recomputed(outlierExclude ? 1 : 2);
      expect(values((await storedBar())!)).toEqual(expected);
      expect(expected.h).toBe(outlierExclude ? 102 : 200);
      expect(await corrections()).toBe(outlierExclude ? 1 : 2);
    });
  });
}
