import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import { createStore } from "../../../src/runtime/store/index.ts";
import { openSqlite } from "../../../src/runtime/store/sqlite/connection.ts";
import { createSqliteStore, migrateSqlite } from "../../../src/runtime/store/sqlite/index.ts";
import { makeTrade, storeContract, stored } from "./contract.ts";

const root = mkdtempSync(join(tmpdir(), "tickflow-sqlite-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(root, `store-${++files}`, "tickflow.db");

storeContract("sqlite", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const store = createSqliteStore({ path, registry: createRegistry() });
  return { store, cleanup: () => store.close() };
});

test("migrateSqlite creates the tables once and records it", () => {
  const path = freshPath();
  expect(migrateSqlite(path)).toEqual({ applied: 3, total: 3 });
  expect(migrateSqlite(path)).toEqual({ applied: 0, total: 3 });
  const db = new Database(path, { readonly: true });
  const tables = db.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
  expect(tables).toEqual([
    { name: "__drizzle_migrations" },
    { name: "symbol_versions" },
    { name: "trade_aggregates" },
    { name: "trades_v2" },
  ]);
  expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
  db.close();
});

test("the outlier column joins trades stored before it as no outliers, symbol versions start at 0 for them, and the tables stay WITHOUT ROWID", async () => {
  // The migrations folder as it was before 0001: only 0000 in the journal.
  const folder = join(root, "migrations-0000");
  cpSync(join(import.meta.dir, "../../../migrations/sqlite"), folder, { recursive: true });
  const journal = join(folder, "meta/_journal.json");
  const { entries, ...rest } = await Bun.file(journal).json();
  await Bun.write(journal, JSON.stringify({ ...rest, entries: entries.slice(0, 1) }));
  const path = freshPath();
  expect(migrateSqlite(path, { migrationsFolder: folder })).toEqual({ applied: 1, total: 1 });
  const old = makeTrade("OLD", 1, Date.UTC(2024, 1, 28, 23, 58, 30));
  const db = new Database(path);
  db.query(
    `INSERT INTO trades_v2 (symbol, trade_year, trade_month, trade_day, timestamp, trade_id, seq, price,
      volume, conditions, trade_hour, processed_at, source) VALUES (?, 2024, 2, 28, ?, ?, ?, ?, ?, ?, 23, ?, ?)`,
  ).run(
    old.symbol,
    old.timestamp,
    old.id,
    old.seq,
    old.price,
    old.volume,
    JSON.stringify(old.conditions),
    old.processed_at,
    old.source,
  );
  db.close();

  expect(migrateSqlite(path)).toEqual({ applied: 2, total: 3 });
  const store = createSqliteStore({ path, registry: createRegistry() });
  expect(store.readVersion("OLD")).toBe(0);
  const flagged = { ...makeTrade("OLD", 2, old.timestamp + 1), outlier: true };
  await store.writeTrades([flagged]);
  expect(store.readVersion("OLD")).toBe(1);
  expect(await store.tradesBetween("OLD", 0, 2e12)).toEqual([stored(old), flagged]);
  await store.close();
  const schema = new Database(path, { readonly: true });
  const tables = schema.query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?, ?)");
  const names = ["trades_v2", "trade_aggregates", "symbol_versions"];
  const statements = tables.all(...names) as { sql: string }[];
  expect(statements).toHaveLength(names.length);
  for (const { sql } of statements) expect(sql).toEndWith("WITHOUT ROWID");
  schema.close();
});

const pageSize = (path: string) => {
  const db = new Database(path, { readonly: true });
  const { page_size } = db.query("PRAGMA page_size").get() as { page_size: number };
  db.close();
  return page_size;
};

test("a new database gets 2 KiB pages unless told otherwise; a file made before keeps its own and is written as before", async () => {
  const fresh = freshPath();
  migrateSqlite(fresh);
  expect(pageSize(fresh)).toBe(2_048);
  const chosen = freshPath();
  migrateSqlite(chosen, { pageBytes: 8_192 });
  expect(pageSize(chosen)).toBe(8_192);

  const older = freshPath();
  migrateSqlite(older, { pageBytes: 4_096 });
  migrateSqlite(older);
  const store = createSqliteStore({ path: older, registry: createRegistry() });
  const trade = makeTrade("OLD", 1, Date.UTC(2026, 10, 23, 6, 0));
  await store.writeTrades([trade]);
  expect(await store.tradesBetween("OLD", 0, 2e12)).toEqual([stored(trade)]);
  await store.close();
  expect(pageSize(older)).toBe(4_096);
});

test("a write through another store on the same file, as by another process, moves the read version of its symbols only", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const reader = createSqliteStore({ path, registry: createRegistry() });
  const writer = createSqliteStore({ path, registry: createRegistry() });
  const [written, untouched] = [reader.readVersion("WRITTEN"), reader.readVersion("UNTOUCHED")];
  await writer.writeTrades([makeTrade("WRITTEN", 1, Date.UTC(2026, 10, 24))]);
  expect(reader.readVersion("WRITTEN")).not.toBe(written);
  expect(reader.readVersion("UNTOUCHED")).toBe(untouched);
  await writer.close();
  await reader.close();
});

test("checkpoints come after as many WAL bytes whatever the page size", () => {
  for (const pageBytes of [2_048, 4_096]) {
    const path = freshPath();
    migrateSqlite(path, { pageBytes });
    const db = openSqlite(path, { checkpointBytes: 40 * 2 ** 20 });
    expect(db.query("PRAGMA wal_autocheckpoint").get()).toEqual({
      wal_autocheckpoint: (40 * 2 ** 20) / pageBytes,
    });
    db.close();
  }
});

test("a database without the schema is refused with a hint", () => {
  expect(() => createSqliteStore({ path: freshPath(), registry: createRegistry() })).toThrow(
    "run `bun run migrate`",
  );
});

test("createStore builds the SQLite backend from config, creating the file with SQLITE_PAGE_SIZE", async () => {
  const path = freshPath();
  const env = { STORE: "sqlite", SQLITE_PATH: path, SQLITE_PAGE_SIZE: "4096" };
  const { config } = loadConfig([], env);
  const store = await createStore({ config, logger: silentLogger(), registry: createRegistry() });
  await store.writeTrades([makeTrade("CFG", 1, 1_700_000_000_000)]);
  expect((await store.tradesBetween("CFG", 0, 2e12)).map((trade) => trade.id)).toEqual(["CFG-1"]);
  await store.close();
  expect(pageSize(path)).toBe(4_096);
});

test("while another connection holds the write lock, writes fail as retryable and health says why", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const registry = createRegistry();
  const store = createSqliteStore({ path, registry });
  const intruder = new Database(path);
  intruder.run("BEGIN IMMEDIATE");
  const failed = await store
    .writeTrades([makeTrade("LCK", 1, 1_700_000_000_000)])
    .catch((error: unknown) => error);
  expect(failed).toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true });
  expect(await registry.getSingleMetricAsString("store_write_errors_total")).toContain(
    'store_write_errors_total{kind="trades"} 1',
  );
  expect(await store.health()).toMatchObject({ ok: false });
  expect(await store.queryTrades({ symbol: "LCK", from: 0, to: 2e12, limit: 5, sort: "asc" })).toEqual({
    results: [],
    nextCursor: null,
  });
  intruder.run("ROLLBACK");
  intruder.close();
  await store.writeTrades([makeTrade("LCK", 1, 1_700_000_000_000)]);
  expect(await store.health()).toMatchObject({ ok: true });
  await store.close();
  expect(await store.health()).toMatchObject({ ok: false });
});

test("health turns bad when the database file is removed", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const store = createSqliteStore({ path, registry: createRegistry() });
  unlinkSync(path);
  expect((await store.health()).ok).toBe(false);
  await store.close();
});

test("the write thread's time inserting and committing is counted on the registry, at most the time it had", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const registry = createRegistry();
  const busy = async () => {
    const { values } = await registry.getSingleMetric("sqlite_write_thread_busy_seconds_total")!.get();
    return Object.fromEntries(values.map(({ labels, value }) => [labels.activity, value]));
  };
  const started = performance.now();
  const store = createSqliteStore({ path, registry });
  try {
    expect(await busy()).toEqual({ insert: 0, commit: 0 });
    await store.writeTrades(
      Array.from({ length: 2_000 }, (_, seq) =>
        makeTrade(`S${seq % 20}`, seq, Date.UTC(2024, 2, 1, 14, 30) + seq),
      ),
    );
    const { insert, commit } = await busy();
    expect(insert).toBeGreaterThan(0);
    expect(commit).toBeGreaterThan(0);
    expect(insert + commit).toBeLessThan((performance.now() - started) / 1_000);
  } finally {
    await store.close();
  }
});

test("a process that wrote through the store and never closed it still exits", async () => {
  const path = freshPath();
  migrateSqlite(path);
  const script = join(root, "write-and-leave.ts");
  const src = join(import.meta.dir, "../../../src");
  await Bun.write(
    script,
    `import { createRegistry } from ${JSON.stringify(`${src}/runtime/metrics/index.ts`)};
import { createSqliteStore } from ${JSON.stringify(`${src}/runtime/store/sqlite/index.ts`)};
import { makeTrade } from ${JSON.stringify(join(import.meta.dir, "contract.ts"))};
const store = createSqliteStore({ path: ${JSON.stringify(path)}, registry: createRegistry() });
await store.writeTrades([makeTrade("EXIT", 1, Date.UTC(2024, 2, 1))]);
console.log("written");`,
  );
  const child = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
  const exited = await Promise.race([child.exited, Bun.sleep(30_000).then(() => "still running")]);
  child.kill();
  expect(exited).toBe(0);
  expect(await new Response(child.stdout).text()).toBe("written\n");
}, 40_000);
