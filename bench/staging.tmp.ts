import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRandom } from "../src/modules/simulator/random.ts";
import { openSqlite } from "../src/runtime/store/sqlite/connection.ts";
import { migrateSqlite } from "../src/runtime/store/sqlite/index.ts";
import { packTrades } from "../src/runtime/store/sqlite/packed-trades.ts";
import { SqliteWriter } from "../src/runtime/store/sqlite/writes.ts";
import type { TradeToStore } from "../src/runtime/store/types.ts";

const [mode = "direct", commitTrades = 15_000, symbols = 5_000, mergeEvery = 10, seconds = 20] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v))) as [string, number, number, number, number];
const RATE = 50_000;
const total = RATE * seconds;
const random = createRandom(7);
const folder = mkdtempSync(join(tmpdir(), "tickflow-staging-"));
const path = join(folder, "s.db");
migrateSqlite(path);
const db = openSqlite(path, { checkpointPages: 10_000, cacheBytes: 8 * 2 ** 20 });
const cols = "symbol, trade_year, trade_month, trade_day, timestamp, trade_id, seq, price, volume, conditions, trade_hour, processed_at, source, outlier";
db.run(`CREATE TABLE trades_staged (${cols})`);
db.run("CREATE INDEX trades_staged_key ON trades_staged (symbol, trade_year, trade_month, trade_day, timestamp, trade_id)");
const ROWS = 32;
const tuple = `(${Array(14).fill("?").join(",")})`;
const many = db.prepare(`INSERT INTO trades_staged (${cols}) VALUES ${Array(ROWS).fill(tuple).join(",")}`);
const one = db.prepare(`INSERT INTO trades_staged (${cols}) VALUES ${tuple}`);
const merge = db.prepare(`INSERT OR IGNORE INTO trades_v2 (${cols}) SELECT ${cols} FROM trades_staged INDEXED BY trades_staged_key ORDER BY symbol, trade_year, trade_month, trade_day, timestamp, trade_id, rowid`);
const clear = db.prepare("DELETE FROM trades_staged");
const writer = new SqliteWriter(db);
const io = () => { const f = Object.fromEntries(readFileSync("/proc/thread-self/io", "utf8").trim().split("\n").map((l) => l.split(": "))); return [Number(f.syscr), Number(f.syscw), Number(f.rchar), Number(f.wchar)]; };
const rowOf = (t: TradeToStore) => { const d = new Date(t.timestamp); return [t.symbol, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), t.timestamp, t.id, t.seq, t.price, t.volume, JSON.stringify(t.conditions), d.getUTCHours(), t.processed_at, t.source, 0]; };
const start = Date.UTC(2026, 10, 23, 14, 30);
let cpu = 0, sys = 0, commits = 0, longest = 0;
const acc = [0, 0, 0, 0];
let peakRss = 0;
for (let first = 0; first < total; first += commitTrades) {
  const trades: TradeToStore[] = [];
  for (let seq = first; seq < Math.min(first + commitTrades, total); seq++) {
    const timestamp = start + Math.floor((seq * 1_000) / RATE);
    const symbol = `SYM${Math.floor(random() * symbols)}`;
    trades.push({ id: `${(Math.imul(seq, 2_654_435_761) >>> 0).toString(16).padStart(16, "0")}:${seq % 8}`, symbol, price: 100 + random(), timestamp, volume: 100, conditions: seq % 4 === 0 ? [] : ["1", "12"], processed_at: timestamp + 3, source: "finnhub", seq });
  }
  const rows = mode === "staged" ? trades.map(rowOf) : [];
  const before = io();
  const c0 = process.threadCpuUsage();
  const t0 = performance.now();
  if (mode === "direct") { writer.stage(packTrades([trades]), []); writer.commit(); }
  else {
    db.run("BEGIN IMMEDIATE");
    let i = 0;
    for (; i + ROWS <= rows.length; i += ROWS) many.run(...rows.slice(i, i + ROWS).flat());
    for (; i < rows.length; i++) one.run(...rows[i]!);
    if (++commits % mergeEvery === 0) { merge.run(); clear.run(); }
    db.run("COMMIT");
  }
  const took = performance.now() - t0;
  longest = Math.max(longest, took);
  const u = process.threadCpuUsage(c0);
  cpu += u.user + u.system; sys += u.system;
  for (const [k, v] of io().entries()) acc[k]! += v - before[k]!;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const n = (await db.query("SELECT count(*) AS n FROM trades_v2").get() as { n: number }).n + (await db.query("SELECT count(*) AS n FROM trades_staged").get() as { n: number }).n;
console.log(`${mode} commits of ${commitTrades} over ${symbols} symbols${mode === "staged" ? `, merge every ${mergeEvery} commits` : ""}: ${(cpu / total).toFixed(2)} µs CPU (${Math.round((100 * sys) / cpu)}% kernel), per trade ${(acc[0]! / total).toFixed(2)} reads ${(acc[2]! / total / 1024).toFixed(1)} KiB, ${(acc[1]! / total).toFixed(2)} writes ${(acc[3]! / total / 1024).toFixed(1)} KiB; longest ${longest.toFixed(0)} ms; rows ${n}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
db.close();
rmSync(folder, { recursive: true, force: true });
