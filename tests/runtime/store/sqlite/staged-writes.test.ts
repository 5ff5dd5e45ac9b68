import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../../../src/runtime/store/sqlite/connection.ts";
import { migrateSqlite } from "../../../../src/runtime/store/sqlite/index.ts";
import { packTrades } from "../../../../src/runtime/store/sqlite/packed-trades.ts";
import { SqliteWriter } from "../../../../src/runtime/store/sqlite/writes.ts";
import { makeTrade } from "../contract.ts";

const root = mkdtempSync(join(tmpdir(), "tickflow-staged-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

const T0 = Date.UTC(2024, 2, 1, 14, 30);
const trades = (symbol: string, count: number) =>
  packTrades([Array.from({ length: count }, (_, seq) => makeTrade(symbol, seq, T0 + seq))]);

/** A migrated file whose trade inserts fail for symbol FAIL; a writer on it, and a reader. */
const setUp = () => {
  const path = join(root, `staged-${++files}.db`);
  migrateSqlite(path);
  const db = openSqlite(path);
  db.run(`CREATE TRIGGER fail_on_symbol BEFORE INSERT ON trades_v2 WHEN NEW.symbol = 'FAIL'
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  const reader = new Database(path, { readonly: true });
  const count = (symbol: string) =>
    (reader.query("SELECT count(*) AS n FROM trades_v2 WHERE symbol = ?").get(symbol) as { n: number }).n;
  return { path, writer: new SqliteWriter(db), db, reader, count };
};

test("staged writes are stored by the commit after them, not before", () => {
  const { writer, count, db, reader } = setUp();
  writer.stage(trades("AAA", 40), []);
  writer.stage(trades("BBB", 3), []);
  expect(count("AAA")).toBe(0);
  writer.commit();
  expect([count("AAA"), count("BBB")]).toEqual([40, 3]);
  // A commit with nothing staged is a no-op.
  writer.commit();
  reader.close();
  db.close();
});

test("a failed write fails its transaction's commit, stores none of it, and the next one starts afresh", () => {
  const { writer, count, db, reader } = setUp();
  writer.stage(trades("AAA", 5), []);
  writer.stage(trades("FAIL", 1), []);
  writer.stage(trades("BBB", 5), []);
  expect(() => writer.commit()).toThrow("refused by the test");
  expect([count("AAA"), count("BBB")]).toEqual([0, 0]);
  expect(db.inTransaction).toBe(false);

  writer.stage(trades("CCC", 7), []);
  writer.commit();
  expect([count("AAA"), count("BBB"), count("CCC")]).toEqual([0, 0, 7]);
  reader.close();
  db.close();
});

test("a write lock held by another connection fails the commit until it is released", () => {
  const { path, writer, count, db, reader } = setUp();
  const other = openSqlite(path);
  other.run("BEGIN IMMEDIATE");
  writer.stage(trades("AAA", 5), []);
  expect(() => writer.commit()).toThrow();
  other.run("COMMIT");
  writer.stage(trades("AAA", 5), []);
  writer.commit();
  expect(count("AAA")).toBe(5);
  other.close();
  reader.close();
  db.close();
});
