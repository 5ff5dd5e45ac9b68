import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import {
  makeTrade,
  metricTotal,
  startHarness,
  stored,
  T0,
  tradeMessage,
  until,
  type WriterHarness,
} from "./harness.ts";

let h: WriterHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/** Another connection holding the write lock: every write of the writer fails with SQLITE_BUSY. */
const lockStore = (path: string) => {
  const intruder = new Database(path);
  intruder.run("BEGIN IMMEDIATE");
  return () => {
    intruder.run("ROLLBACK");
    intruder.close();
  };
};

test("a store that fails for a while delays writes, loses nothing, and holds the publisher back", async () => {
  const capacity = 50;
  h = await startHarness({ batchSize: 10 }, { partitions: 1, capacity });
  const harness = h;
  const unlock = lockStore(harness.path);
  const trades = Array.from({ length: 200 }, (_, seq) => makeTrade("BLK", seq, T0 + seq));
  let accepted = 0;
  const publishing = (async () => {
    for (const trade of trades) {
      await harness.publish([tradeMessage(trade)]);
      accepted += 1;
    }
  })();
  const errors = () => metricTotal(harness.registry, "store_write_errors_total");
  await until(async () => accepted === capacity && (await errors()) >= 3, "a full channel and retries");
  // The writer keeps failing and retrying; meanwhile nothing is stored and the channel stays full: the
  // publisher waits instead of the writer buffering.
  const seen = await errors();
  await until(async () => (await errors()) >= seen + 2, "more retries");
  expect(accepted).toBe(capacity);
  expect(await harness.store.tradesBetween("BLK", 0, T0 + 1_000)).toEqual([]);

  unlock();
  await publishing;
  await harness.flush();
  expect(await harness.store.tradesBetween("BLK", 0, T0 + 1_000)).toEqual(trades.map(stored));
  expect(await metricTotal(harness.registry, "trades_stored_total")).toBe(200);
});

test("stopping while the store is unavailable ends the retries instead of hanging", async () => {
  h = await startHarness({ batchSize: 10, retryMaxMs: 60_000 }, { partitions: 1, capacity: 100 });
  const unlock = lockStore(h.path);
  await h.publish([tradeMessage(makeTrade("STP", 1, T0))]);
  const harness = h;
  await until(async () => (await metricTotal(harness.registry, "store_write_errors_total")) >= 2, "retries");
  await harness.handle.stop("test");
  await expect(harness.handle.done).resolves.toBeUndefined();
  unlock();
});

test("a store that rejects writes for good stops the writer rather than dropping data", async () => {
  h = await startHarness({ batchSize: 10 }, { partitions: 1, capacity: 100 });
  await h.store.close();
  await h.publish([tradeMessage(makeTrade("REJ", 1, T0))]);
  await expect(h.handle.done).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", retryable: false });
});
