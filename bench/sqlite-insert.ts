/**
 * Raw insert throughput of the SQLite store: `bun bench/sqlite-insert.ts [trades] [batch]`.
 * Writes Finnhub-like trades (50 symbols, ids shaped like replay ids) through `Store.writeTrades` into a
 * fresh file, one transaction per batch, and prints trades/s for a cold and a warm (rewrite) pass.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trade } from "../src/modules/contracts/index.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../src/runtime/store/sqlite/index.ts";

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
const path = join(folder, "bench.db");
migrateSqlite(path);
const store = createSqliteStore({ path, registry: createRegistry() });

const pass = async (label: string) => {
  const began = performance.now();
  for (let i = 0; i < total; i += batch) await store.writeTrades(trades.slice(i, i + batch));
  const seconds = (performance.now() - began) / 1_000;
  console.log(
    `${label}: ${total} trades in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} trades/s`,
  );
};

try {
  await pass(`insert (batch ${batch})`);
  await pass(`rewrite, all ignored (batch ${batch})`);
} finally {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
}
