import { afterEach, beforeEach, expect, test } from "bun:test";
import { MINUTE_MS } from "../../../src/modules/bars/index.ts";
import {
  type Bar,
  compareTrades,
  type DeadLetter,
  type Trade,
  topics,
} from "../../../src/modules/contracts/index.ts";
import { startWriter } from "../../../src/modules/writer/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import { partitionFor } from "../../../src/runtime/transport/index.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import {
  barMessage,
  barOf,
  countingTradeReads,
  makeTrade,
  metricTotal,
  startHarness,
  stored,
  T0,
  tradeMessage,
  type WriterHarness,
  writerDefaults,
} from "./harness.ts";

let h: WriterHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const minuteTrades = (symbol: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, k) => makeTrade(symbol, from + k, T0 + (from + k) * 1_000));
const storedTrades = (symbol: string) => h.store.tradesBetween(symbol, 0, T0 + 3_600_000);
const asStored = (trades: readonly Trade[]) => trades.map(stored);
const storedBar = async (symbol: string, t = T0) => (await h.store.getBars(symbol, [t]))[0];

test("stores every trade once, however often it is delivered", async () => {
  const trades = minuteTrades("AAA", 30);
  await h.publish(trades.map(tradeMessage));
  await h.publish([...trades.slice(0, 10), ...trades.slice(0, 10)].map(tradeMessage));
  await h.flush();
  expect(await storedTrades("AAA")).toEqual(asStored(trades));
  expect(await metricTotal(h.registry, "trades_stored_total")).toBe(50);
});

test("announces an end marker only once everything before it is durable", async () => {
  const trades = minuteTrades("END", 40);
  const seenAtEnd: Promise<Trade[]>[] = [];
  h.events.on("input-durable", (event) => {
    if (event.source === "replay:x") seenAtEnd.push(h.store.tradesBetween("END", 0, T0 + MINUTE_MS));
  });
  await h.publish(trades.map(tradeMessage));
  const partition = partitionFor("END", h.transport.partitions);
  await h.transport.publish(topics.processed, [
    { key: "end", value: { kind: "end", source: "replay:x" }, partition },
  ]);
  await waitFor(() => seenAtEnd.length === 1, 10_000, "input-durable");
  expect(await seenAtEnd[0]!).toHaveLength(40);
});

test("provisional bars update until the final bar, and never overwrite it", async () => {
  const trades = minuteTrades("PRV", 6);
  await h.publish([...trades.map(tradeMessage), barMessage(barOf(trades.slice(0, 2), false))]);
  await h.flush();
  expect(await storedBar("PRV")).toMatchObject({ n: 2, final: false, rev: 0 });
  const final = barOf(trades, true);
  await h.publish([barMessage(barOf(trades.slice(0, 4), false)), barMessage(final)]);
  await h.publish([barMessage(barOf(trades.slice(0, 5), false))]);
  await h.flush();
  expect(await storedBar("PRV")).toEqual(final);
  h.advanceClock(120_000); // the state cache forgot the window: the rule now rests on a store read
  await h.publish([barMessage(barOf(trades.slice(0, 3), false))]);
  await h.flush();
  expect(await storedBar("PRV")).toEqual(final);
});

test("a final bar replayed after a crash, even a partial one, leaves the stored bar alone", async () => {
  const trades = minuteTrades("RPL", 8);
  const final = barOf(trades, true);
  await h.publish([...trades.map(tradeMessage), barMessage(final)]);
  await h.flush();
  await h.publish([...trades.slice(5).map(tradeMessage), barMessage(barOf(trades.slice(5), true))]);
  await h.publish([barMessage(final)]);
  await h.flush();
  expect(await storedBar("RPL")).toEqual(final);
  expect(await metricTotal(h.registry, "bars_corrected_total")).toBe(0);
});

test("after a restart mid-minute, the final bar has the trades stored before it too, as the window's first final bar", async () => {
  const trades = minuteTrades("RST", 10);
  const [before, after] = [trades.slice(0, 6), trades.slice(6)];
  await h.publish([...before.map(tradeMessage), barMessage(barOf(before, false))]);
  await h.flush();
  // In-process channels keep no window across a restart: the processor starts over with what comes next.
  await h.handle.stop();
  const restarted = await startWriter({
    options: writerDefaults,
    logger: silentLogger(),
    registry: h.registry,
    transport: h.transport,
    store: h.store,
    events: h.events,
    outlierExclude: false,
  });
  try {
    await h.publish([...after.slice(0, 2).map(tradeMessage), barMessage(barOf(after.slice(0, 2), false))]);
    await h.publish([...after.slice(2).map(tradeMessage), barMessage(barOf(after, true))]);
    await h.flush();
    const { updated_at: _, ...values } = barOf(trades, true);
    expect(await storedBar("RST")).toMatchObject(values);
    expect(await metricTotal(h.registry, "bars_corrected_total")).toBe(0);
  } finally {
    await restarted.stop();
  }
});

test("a correction after a late trade yields rev + 1 equal to the recomputed bar; repeated, it is a no-op", async () => {
  const trades = minuteTrades("LAT", 5);
  await h.publish([...trades.map(tradeMessage), barMessage(barOf(trades, true))]);
  await h.flush();
  const late = makeTrade("LAT", 99, T0 + 500, { price: 1_000, volume: 7 });
  await h.publish([tradeMessage(late), { kind: "correction", symbol: "LAT", t: T0 }]);
  await h.flush();
  const expected = barOf([...trades, late].sort(compareTrades), true, 1);
  const corrected = await storedBar("LAT");
  expect({ ...corrected, updated_at: 0 }).toEqual({ ...expected, updated_at: 0 });
  expect(corrected!.o).toBe(trades[0]!.price);
  expect(corrected!.h).toBe(1_000);
  await h.publish([{ kind: "correction", symbol: "LAT", t: T0 }, barMessage(barOf([...trades, late], true))]);
  await h.flush();
  expect(await storedBar("LAT")).toEqual(corrected);
  expect(await metricTotal(h.registry, "bars_corrected_total")).toBe(1);
});

test("publishes every final and corrected bar it stores on stock-bars, and no provisional one", async () => {
  const published: Bar[] = [];
  const subscription = await h.transport.subscribe<Bar>(topics.bars, {
    group: "bars-reader",
    onBatch: async (batch) => void published.push(...batch.messages.map((message) => message.value)),
  });
  const trades = minuteTrades("PUB", 4);
  const final = barOf(trades, true);
  await h.publish([
    ...trades.map(tradeMessage),
    barMessage(barOf(trades.slice(0, 2), false)),
    barMessage(final),
  ]);
  await h.publish([barMessage(final)]); // a repeat that changes nothing is not stored, nor published
  const late = makeTrade("PUB", 99, T0 + 500, { price: 1_000 });
  await h.publish([tradeMessage(late), { kind: "correction", symbol: "PUB", t: T0 }]);
  await h.flush();
  await waitFor(() => published.length >= 2, 10_000, "two bars");
  expect(published).toEqual([final, (await storedBar("PUB"))!]);
  expect(published.map((bar) => [bar.rev, bar.n])).toEqual([
    [0, 4],
    [1, 5],
  ]);
  await subscription.stop();
});

test("many late trades of one window in a batch cost one recomputation, and one rev", async () => {
  const { counter, view } = countingTradeReads();
  const own = await startHarness({}, undefined, view);
  try {
    const trades = minuteTrades("BRS", 10);
    await own.publish([...trades.map(tradeMessage), barMessage(barOf(trades, true))]);
    await own.flush();
    const before = counter.reads;
    const late = Array.from({ length: 50 }, (_, k) => makeTrade("BRS", 100 + k, T0 + 30_000 + k));
    await own.publish(
      late.flatMap((trade) => [tradeMessage(trade), { kind: "correction", symbol: "BRS", t: T0 }]),
    );
    await own.flush();
    expect(counter.reads - before).toBe(1);
    expect((await own.store.getBars("BRS", [T0]))[0]).toMatchObject({ n: 60, final: true, rev: 1 });
  } finally {
    await own.cleanup();
  }
});

test("rounding differences between arrival order and time order are no reason for a correction", async () => {
  const trades = minuteTrades("RND", 5);
  const arrival = [...trades, makeTrade("RND", 99, T0 + 500, { price: 1_000, volume: 7 })];
  const asSent = barOf(arrival, true);
  expect(asSent.m2).not.toBe(barOf([...arrival].sort(compareTrades), true).m2);
  await h.publish([...arrival.map(tradeMessage), barMessage(asSent)]);
  await h.publish([barMessage(asSent)]);
  await h.flush();
  expect(await storedBar("RND")).toEqual(asSent);
});

test("a late trade and its correction in the same batch as the final bar are all applied", async () => {
  const trades = minuteTrades("ONE", 4);
  const late = makeTrade("ONE", 50, T0 + 100, { price: 1 });
  await h.publish([
    ...trades.map(tradeMessage),
    barMessage(barOf(trades, true)),
    tradeMessage(late),
    { kind: "correction", symbol: "ONE", t: T0 },
  ]);
  await h.flush();
  expect(await storedBar("ONE")).toMatchObject({ n: 5, l: 1, final: true, rev: 1 });
});

test("a copy counted twice in a final bar is counted once by the correction that follows it", async () => {
  // The processor could not check the copy (older than its dedup horizon) and asks for this correction.
  const trades = minuteTrades("TWO", 4);
  const copy = { ...trades[1]! };
  await h.publish([
    ...[...trades, copy].map(tradeMessage),
    barMessage(barOf([...trades, copy], true)),
    { kind: "correction", symbol: "TWO", t: T0 },
  ]);
  await h.flush();
  const expected = barOf(trades, true, 1);
  expect({ ...(await storedBar("TWO")), updated_at: 0 }).toEqual({ ...expected, updated_at: 0 });
  expect(await storedTrades("TWO")).toEqual(asStored(trades));
});

test("bad values on the bus become dead letters, counted, and the stream goes on", async () => {
  const letters: DeadLetter[] = [];
  const subscription = await h.transport.subscribe<DeadLetter>(topics.deadLetters, {
    group: "test-dlq",
    onBatch: async (batch) => {
      letters.push(...batch.messages.map((m) => m.value));
    },
  });
  const good = minuteTrades("DLQ", 3);
  const broken = { kind: "trade", trade: { ...good[0]!, price: -1 }, outlier: false };
  await h.publish([
    tradeMessage(good[0]!),
    broken,
    { kind: "nonsense" },
    "text",
    ...good.slice(1).map(tradeMessage),
  ]);
  await h.flush();
  expect(await storedTrades("DLQ")).toEqual(asStored(good));
  await waitFor(() => letters.length === 3, 10_000, "three dead letters");
  expect(letters.map((letter) => letter.stage)).toEqual(["writer", "writer", "writer"]);
  expect(letters[0]!.message).toContain("trade.price");
  expect(JSON.parse(letters[0]!.payload)).toEqual(broken);
  expect(await metricTotal(h.registry, "dead_letters_total")).toBe(3);
  await subscription.stop();
});

test("observes end-to-end latency from event and ingest time for stored trades", async () => {
  await h.publish(minuteTrades("LTC", 3).map(tradeMessage));
  await h.flush();
  const text = await h.registry.getSingleMetricAsString("end_to_end_latency_seconds");
  expect(text).toContain('end_to_end_latency_seconds_count{from="event"} 3');
  expect(text).toContain('end_to_end_latency_seconds_count{from="ingest"} 3');
});

test("after partitions change hands, the writer forgets what it knew and never regresses a final bar", async () => {
  const symbol = ["RB1", "RB2", "RB3", "RB4"].find((s) => partitionFor(s, h.transport.partitions) === 1)!;
  const trades = Array.from({ length: 4 }, (_, k) => makeTrade(symbol, k, T0 + k * 1_000));
  await h.publish([...trades.map(tradeMessage), barMessage(barOf(trades.slice(0, 2), false))]);
  await h.flush();
  // A second writer joins the group and takes partition 1, finalises the bar there, then leaves.
  const other = await startWriter({
    options: writerDefaults,
    logger: silentLogger(),
    registry: createRegistry(),
    transport: h.transport,
    store: h.store,
    events: h.events,
    outlierExclude: false,
  });
  const final = barOf(trades, true);
  await h.publish([barMessage(final)]);
  await h.flush();
  await other.stop();
  await h.publish([barMessage(barOf(trades.slice(0, 3), false))]);
  await h.flush();
  expect(await storedBar(symbol)).toEqual(final);
});

test("paced, an open bar is stored at most once per interval: the newest update follows, a final bar goes at once", async () => {
  const paced = await startHarness({ provisionalStoreIntervalMs: 1_000 });
  try {
    const trades = minuteTrades("PCD", 6);
    const stored = async () => (await paced.store.getBars("PCD", [T0]))[0];
    await paced.publish([...trades.map(tradeMessage), barMessage(barOf(trades.slice(0, 1), false))]);
    await paced.flush();
    expect(await stored()).toMatchObject({ n: 1, final: false });
    await paced.publish([barMessage(barOf(trades.slice(0, 2), false))]);
    await paced.publish([barMessage(barOf(trades.slice(0, 3), false))]);
    await paced.flush();
    expect(await stored()).toMatchObject({ n: 1, final: false });
    paced.advanceClock(1_000);
    await paced.flush(); // any batch takes what is due, bar updates or not
    expect(await stored()).toMatchObject({ n: 3, final: false });
    await paced.publish([barMessage(barOf(trades.slice(0, 4), false))]);
    await paced.flush();
    expect(await stored()).toMatchObject({ n: 3, final: false });
    const final = barOf(trades, true);
    await paced.publish([barMessage(final)]);
    paced.advanceClock(1_000); // the final bar dropped the held update: nothing comes after it
    await paced.flush();
    expect(await stored()).toEqual(final);
    expect(await metricTotal(paced.registry, "bars_stored_total")).toBe(3);
  } finally {
    await paced.cleanup();
  }
});
