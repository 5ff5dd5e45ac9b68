import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MINUTE_MS } from "../../../src/modules/bars/index.ts";
import { startOrphanedBarsRepair } from "../../../src/modules/writer/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../../../src/runtime/store/sqlite/index.ts";
import { barOf, makeTrade, T0, until } from "./harness.ts";

const folder = mkdtempSync(join(tmpdir(), "tickflow-orphans-"));
const path = join(folder, "orphans.db");
migrateSqlite(path);
const store = createSqliteStore({ path, registry: createRegistry() });
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

const CLOSE_AFTER_MS = 15_000;
const minute = (symbol: string, t: number, count: number) =>
  Array.from({ length: count }, (_, k) => makeTrade(symbol, k, t + k * 1_000, { price: 100 + k }));
const storedBar = async (symbol: string, t: number) => (await store.getBars(symbol, [t]))[0];

test("bars a stopped run left open are finalised from their stored trades once their window has closed", async () => {
  // LEFT: open at T0 when the last run stopped (3 of its 5 trades in the bar). DONE: final already.
  // LATE: the last run stopped in the minute after T0, which had not closed when this one started.
  const left = minute("LEFT", T0, 5);
  const done = minute("DONE", T0, 4);
  const late = minute("LATE", T0 + MINUTE_MS, 6);
  const doneBar = barOf(done, true);
  await store.writeTrades([...left, ...done, ...late]);
  await store.writeBars([
    { ...barOf(left.slice(0, 3), false), rev: 2 },
    doneBar,
    barOf(late.slice(0, 2), false),
  ]);
  let now = T0 + 2 * MINUTE_MS + 1_000;
  const repair = await startOrphanedBarsRepair({
    store,
    logger: silentLogger(),
    outlierExclude: false,
    closeAfterMs: CLOSE_AFTER_MS,
    recheckAfterMs: 50,
    clock: () => now,
  });
  try {
    const { updated_at: _left, ...leftValues } = { ...barOf(left, true), rev: 2 };
    expect(await storedBar("LEFT", T0)).toMatchObject(leftValues);
    expect(await storedBar("DONE", T0)).toEqual(doneBar);
    expect(await storedBar("LATE", T0 + MINUTE_MS)).toMatchObject({ final: false, n: 2 });

    // Looked at again once the window open at start has had time to close: still open, so nobody holds it.
    now = T0 + 3 * MINUTE_MS + CLOSE_AFTER_MS;
    const { updated_at: _late, ...lateValues } = barOf(late, true);
    await until(
      async () => (await storedBar("LATE", T0 + MINUTE_MS))?.final === true,
      "the second look",
      5_000,
    );
    expect(await storedBar("LATE", T0 + MINUTE_MS)).toMatchObject(lateValues);
  } finally {
    await repair.stop();
  }
});
