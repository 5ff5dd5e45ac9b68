/**
 * Insert throughput of the SQLite store: `bun bench/sqlite-insert.ts [trades] [batch] [symbols]`.
 * Writes Finnhub-like trades (50 symbols by default, ids shaped like replay ids) into fresh files, one
 * transaction per batch: directly with the write path on this thread (raw SQLite; with SQLite's default
 * checkpoint every 1,000 WAL pages of 4 KiB, 4 MB, and with the store's 40 MB), then through `Store.writeTrades`
 * (packed columns to the write thread and back, one batch at a time), then the same trades again (all
 * ignored). The raw passes also print this thread's CPU time per trade.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trade } from "../src/modules/contracts/index.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { openSqlite } from "../src/runtime/store/sqlite/connection.ts";
import { createSqliteStore, migrateSqlite } from "../src/runtime/store/sqlite/index.ts";
import { packTrades } from "../src/runtime/store/sqlite/packed-trades.ts";
import { SqliteWriter } from "../src/runtime/store/sqlite/writes.ts";

const total = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 5_000);
const symbols = Number(process.argv[4] ?? 50);
const start = Date.UTC(2024, 2, 1, 14, 30);

const trades: Trade[] = Array.from({ length: total }, (_, seq) => ({
  id: `replay:9f86d081884c7d65:${seq}`,
  symbol: `SYM${seq % symbols}`,
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
  const cpu = process.threadCpuUsage();
  for (let i = 0; i < total; i += batch) await write(trades.slice(i, i + batch));
  const seconds = (performance.now() - began) / 1_000;
  const { user, system } = process.threadCpuUsage(cpu);
  console.log(
    `${label} (batch ${batch}, ${symbols} symbols): ${total} trades in ${seconds.toFixed(2)} s = ` +
      `${Math.round(total / seconds)} trades/s, this thread ${((user + system) / total).toFixed(2)} µs CPU per trade`,
  );
};

try {
  for (const checkpointMb of [4, 40]) {
    const db = openSqlite(freshFile(`raw-${checkpointMb}.db`), { checkpointBytes: checkpointMb * 2 ** 20 });
    const raw = new SqliteWriter(db);
    await pass(`raw SQLite, this thread, checkpoint every ${checkpointMb} MB of WAL`, (chunk) => {
      raw.stage(packTrades([chunk]), []);
      raw.commit();
    });
    db.close();
  }
  const store = createSqliteStore({ path: freshFile("store.db"), registry: createRegistry() });
  await pass("Store.writeTrades", store.writeTrades);
  await pass("Store.writeTrades again, all ignored", store.writeTrades);
  await store.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
