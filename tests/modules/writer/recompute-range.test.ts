import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MINUTE_MS } from "../../../src/modules/bars/index.ts";
import type { Bar, Trade } from "../../../src/modules/contracts/index.ts";
import { recomputeRange } from "../../../src/modules/writer/index.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import type { Store } from "../../../src/runtime/store/index.ts";
import { createSqliteStore, migrateSqlite } from "../../../src/runtime/store/sqlite/index.ts";
import { barOf, makeTrade, T0 } from "./harness.ts";

const SYMBOL = "RCP";
const at = (minute: number) => T0 + minute * MINUTE_MS;
/** `count` trades of minute `minute`, one a second. */
const tradesOf = (minute: number, count: number, symbol = SYMBOL): Trade[] =>
  Array.from({ length: count }, (_, i) => makeTrade(symbol, minute * 100 + i, at(minute) + i * 1_000));

const w0 = tradesOf(0, 5);
const w1 = tradesOf(1, 5);
const w2 = tradesOf(2, 4);
const w3 = tradesOf(3, 3);
const w5 = tradesOf(5, 2);
/** Minute 0 right at rev 2; minute 1 missing two trades; minute 2 without a bar; minute 3 still open; minute 4's trades expired. */
const initialBars: Bar[] = [
  barOf(w0, true, 2),
  barOf(w1.slice(0, 3), true, 0),
  barOf(w3.slice(0, 2), false, 0),
  barOf(tradesOf(4, 2), true, 0),
];
/** Minute 5 has not ended by this clock: left to the pipeline. */
const clock = () => at(5) + 30_000;
const range = { symbol: SYMBOL, from: at(0) + 30_000, to: at(6), clock, outlierExclude: false };

let folder: string;
let store: Store;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "tickflow-recompute-"));
  const path = join(folder, "recompute.db");
  migrateSqlite(path);
  store = createSqliteStore({ path, registry: createRegistry() });
  await store.writeTrades([...w0, ...w1, ...w2, ...w3, ...w5, ...tradesOf(1, 7, "OTHER")]);
  await store.writeBars(initialBars);
});

afterAll(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

const storedBars = () => store.getBars(SYMBOL, [0, 1, 2, 3, 4, 5].map(at));
const values = ({ rev: _rev, updated_at: _updatedAt, ...rest }: Bar) => rest;

test("a dry run counts what would change and writes nothing, whatever the read chunk", async () => {
  const before = await storedBars();
  const hourly = await recomputeRange({ ...range, store, dryRun: true });
  const perMinute = await recomputeRange({ ...range, store, dryRun: true, chunkMinutes: 1 });
  expect(hourly).toEqual({ windows: 4, unchanged: 1, corrected: 1, created: 1, finalized: 0, open: 1 });
  expect(perMinute).toEqual(hourly);
  expect(await storedBars()).toEqual(before);
});

test("rewrites at rev + 1 only the bars that differ from their trades, and creates missing ones", async () => {
  const summary = await recomputeRange({ ...range, store });
  expect(summary).toEqual({ windows: 4, unchanged: 1, corrected: 1, created: 1, finalized: 0, open: 1 });
  const byStart = new Map((await storedBars()).map((bar) => [bar.t, bar]));
  expect(byStart.get(at(0))).toEqual(initialBars[0]!);
  expect(byStart.get(at(1))).toMatchObject({ ...values(barOf(w1, true)), rev: 1, final: true });
  expect(byStart.get(at(2))).toMatchObject({ ...values(barOf(w2, true)), rev: 0, final: true });
  expect(byStart.get(at(3))).toEqual(initialBars[2]!);
  expect(byStart.get(at(4))).toEqual(initialBars[3]!);
  expect(byStart.has(at(5))).toBe(false);
});

test("running it again changes nothing", async () => {
  const before = await storedBars();
  expect(await recomputeRange({ ...range, store })).toEqual({
    windows: 4,
    unchanged: 3,
    corrected: 0,
    created: 0,
    finalized: 0,
    open: 1,
  });
  expect(await storedBars()).toEqual(before);
});

test("an open bar of a window that closed before closedBefore was left by a stopped run: finalised at its revision", async () => {
  const summary = await recomputeRange({ ...range, store, closedBefore: at(4) });
  expect(summary).toEqual({ windows: 4, unchanged: 3, corrected: 0, created: 0, finalized: 1, open: 0 });
  const [closed] = await store.getBars(SYMBOL, [at(3)]);
  expect(closed).toMatchObject({ ...values(barOf(w3, true)), rev: initialBars[2]!.rev, final: true });
});

test("with outliers excluded, flagged trades stay out and a minute of nothing else gets no bar", async () => {
  const symbol = "RCO";
  const normal = tradesOf(0, 4, symbol);
  const flagged = (seq: number, time: number) => ({ ...makeTrade(symbol, seq, time), outlier: true });
  await store.writeTrades([...normal, flagged(90, at(0) + 30_000), flagged(91, at(1) + 5_000)]);
  const summary = await recomputeRange({
    store,
    symbol,
    from: at(0),
    to: at(2),
    clock,
    outlierExclude: true,
  });
  expect(summary).toEqual({ windows: 2, unchanged: 1, corrected: 0, created: 1, finalized: 0, open: 0 });
  const bars = await store.getBars(symbol, [at(0), at(1)]);
  expect(bars.map(values)).toEqual([values(barOf(normal, true))]);
});
