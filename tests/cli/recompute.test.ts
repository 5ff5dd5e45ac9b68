import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../../src/cli/index.ts";
import { loadConfig } from "../../src/runtime/config/index.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../../src/runtime/store/sqlite/index.ts";
import { barOf, makeTrade, T0 } from "../modules/writer/harness.ts";

let folder: string;
let path: string;
const trades = Array.from({ length: 6 }, (_, i) => makeTrade("AAPL", i, T0 + i * 5_000));

const recompute = (...argv: string[]) =>
  commands.recompute(loadConfig(argv, { SQLITE_PATH: path, LOG_LEVEL: "silent" }));

const storedBar = async () => {
  const store = createSqliteStore({ path, registry: createRegistry() });
  try {
    return (await store.getBars("AAPL", [T0]))[0];
  } finally {
    await store.close();
  }
};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "tickflow-recompute-cli-"));
  path = join(folder, "tickflow.db");
  migrateSqlite(path);
  const store = createSqliteStore({ path, registry: createRegistry() });
  await store.writeTrades(trades);
  await store.writeBars([barOf(trades.slice(0, 4), true, 0)]);
  await store.close();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const from = new Date(T0).toISOString();
const to = new Date(T0 + 60_000).toISOString();

test("recompute needs symbols and a range", async () => {
  await expect(recompute("--from", from, "--to", to)).rejects.toThrow("recompute needs SYMBOL");
  await expect(recompute("AAPL", "--from", to, "--to", from)).rejects.toThrow("--from must be before --to");
});

test("--dry-run leaves the store as it is", async () => {
  expect(await recompute("AAPL", "--from", from, "--to", to, "--dry-run")).toBe(0);
  expect(await storedBar()).toMatchObject({ n: 4, rev: 0 });
});

test("`recompute AAPL --from --to` rewrites the bar that missed trades at rev + 1", async () => {
  expect(await recompute("AAPL", "--from", from, "--to", to)).toBe(0);
  expect(await storedBar()).toMatchObject({ n: 6, rev: 1, final: true });
});
