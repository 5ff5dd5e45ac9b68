/**
 * Insert throughput of the SQLite store: `bun bench/sqlite-insert.ts [trades] [batch]`.
 * Writes Finnhub-like trades (50 symbols, ids shaped like replay ids) into fresh files, one transaction
 * per batch: directly with the write path on this thread (raw SQLite), then through `Store.writeTrades`
 * (JSON to the write thread and back, one batch at a time), then the same trades again (all ignored).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trade } from "../src/modules/contracts/index.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { openSqlite } from "../src/runtime/store/sqlite/connection.ts";
import { createSqliteStore, migrateSqlite } from "../src/runtime/store/sqlite/index.ts";
import { SqliteWriter } from "../src/runtime/store/sqlite/writes.ts";

const total = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 5_000);
const start = Date.UTC(2024, 2, 1, 14, 30);

const trades: Trade[] = Array.from({ length: total }, (_, seq) => ({
  id: `replay:9f86d081884c7d65:${seq}`,
  symbol: `SYM${seq % 50}`,
  price: 100 + (seq % 997) / 100,
  timestamp: start + Math.floor(seq / 3),
  volume: 100 * (1 + (seq % 7)),
  conditions: seq % 4 === 0 ? [] : ["1", "12"],
  processed_at: start + Math.floor(seq / 3) + 40,
  source: "replay:bench",
  seq,
}));

const folder = mkdtempSync(join(tmpdir(), "tickflow-bench-"));
const freshFile = (name: string) => {
  const path = join(folder, name);
  migrateSqlite(path);
  return path;
};

const pass = async (label: string, write: (trades: Trade[]) => unknown) => {
  const began = performance.now();
  for (let i = 0; i < total; i += batch) await write(trades.slice(i, i + batch));
  const seconds = (performance.now() - began) / 1_000;
  console.log(
    `${label} (batch ${batch}): ${total} trades in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} trades/s`,
  );
};

try {
  const db = openSqlite(freshFile("raw.db"));
  const raw = new SqliteWriter(db);
  await pass("raw SQLite, this thread", (chunk) => raw.writeTrades(chunk));
  db.close();
  const store = createSqliteStore({ path: freshFile("store.db"), registry: createRegistry() });
  await pass("Store.writeTrades", store.writeTrades);
  await pass("Store.writeTrades again, all ignored", store.writeTrades);
  await store.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
