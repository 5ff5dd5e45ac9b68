/**
 * The SQLite write path under dev mode's mix at many symbols:
 * `bun bench/sqlite-mix.ts [commitTrades] [symbols] [pageSize] [cacheMiB] [checkpointPages] [seconds]`.
 * Simulates 50,000 trades/s of event time over `symbols` (15,000 trades per commit over 5,000 symbols by
 * default), each trade of a random symbol, with each symbol's provisional bar upserted at most once per
 * simulated second, as the writer paces them; each commit is one transaction of the store's writer on
 * this thread. Prints this thread's CPU (and the part spent in the kernel) and the wall time per trade,
 * the reads and writes it asked the kernel for per trade (/proc/thread-self/io: page reads and writes of
 * the database and its WAL), and the longest commit; a run longer than 100 s of event time also reports
 * each 100 s. Last, the shape of the trades table's B-tree: its interior and leaf pages.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bar } from "../src/modules/contracts/index.ts";
import { createRandom } from "../src/modules/simulator/random.ts";
import { openSqlite } from "../src/runtime/store/sqlite/connection.ts";
import { migrateSqlite } from "../src/runtime/store/sqlite/index.ts";
import { packTrades } from "../src/runtime/store/sqlite/packed-trades.ts";
import { SqliteWriter } from "../src/runtime/store/sqlite/writes.ts";
import type { TradeToStore } from "../src/runtime/store/types.ts";

const [
  commitTrades = 15_000,
  symbols = 5_000,
  pageSize = 4_096,
  cacheMiB = 8,
  checkpointPages = 10_000,
  seconds = 20,
] = process.argv.slice(2).map(Number);
const RATE = 50_000;
const MINUTE_MS = 60_000;
const start = Date.UTC(2026, 10, 23, 14, 30);
const total = RATE * seconds;
const random = createRandom(7);

const folder = mkdtempSync(join(tmpdir(), "tickflow-bench-"));
const path = join(folder, "mix.db");
migrateSqlite(path, { pageBytes: pageSize });
const db = openSqlite(path, { checkpointBytes: checkpointPages * pageSize, cacheBytes: cacheMiB * 2 ** 20 });
const { page_size: actualPageSize } = db.query("PRAGMA page_size").get() as { page_size: number };
if (actualPageSize !== pageSize) throw new Error(`asked for pages of ${pageSize} B, got ${actualPageSize}`);
const writer = new SqliteWriter(db);

const provisionalBar = (symbol: string, timestamp: number): Bar => {
  const t = timestamp - (timestamp % MINUTE_MS);
  return {
    symbol,
    t,
    T: t + MINUTE_MS,
    o: 100,
    h: 101,
    l: 99,
    c: 100.5,
    v: 1_000,
    n: 10,
    vw: 100.2,
    volatility: 0.4,
    mean: 100.1,
    m2: 1.6,
    sum_pv: 100_200,
    final: false,
    rev: 0,
    updated_at: timestamp,
  };
};

/** This thread's read and write system calls and the bytes they moved, so far. */
const threadIo = () => {
  const fields = Object.fromEntries(
    readFileSync("/proc/thread-self/io", "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(": ") as [string, string]),
  );
  return [fields.syscr, fields.syscw, fields.rchar, fields.wchar].map(Number);
};

/** What the commits of a stretch of trades cost this thread. */
class Cost {
  trades = 0;
  cpuMicros = 0;
  systemMicros = 0;
  wallMs = 0;
  /** Read calls, write calls, bytes read, bytes written. */
  readonly io = [0, 0, 0, 0];

  /** One commit of `trades` trades: its wall time, this thread's CPU and its read/write counters before. */
  record(trades: number, wallMs: number, cpu: NodeJS.CpuUsage, ioBefore: readonly number[]) {
    for (const [i, value] of threadIo().entries()) this.io[i]! += value - ioBefore[i]!;
    this.trades += trades;
    this.wallMs += wallMs;
    this.cpuMicros += cpu.user + cpu.system;
    this.systemMicros += cpu.system;
  }

  add(other: Cost) {
    this.trades += other.trades;
    this.cpuMicros += other.cpuMicros;
    this.systemMicros += other.systemMicros;
    this.wallMs += other.wallMs;
    for (const [i, value] of other.io.entries()) this.io[i]! += value;
  }

  describe() {
    const [reads, writes, readBytes, writtenBytes] = this.io.map((value) => value / this.trades) as [
      number,
      number,
      number,
      number,
    ];
    return (
      `${(this.cpuMicros / this.trades).toFixed(2)} µs CPU (${Math.round((100 * this.systemMicros) / this.cpuMicros)}% in the kernel) and ` +
      `${((this.wallMs * 1_000) / this.trades).toFixed(2)} µs wall per trade; per trade ${reads.toFixed(2)} reads ` +
      `(${(readBytes / 1_024).toFixed(1)} KiB) and ${writes.toFixed(2)} writes (${(writtenBytes / 1_024).toFixed(1)} KiB)`
    );
  }
}

/** The trades table's B-tree by page type (SQLite's dbstat): pages, cells per page, bytes per cell. */
const treeShape = () =>
  (
    db
      .query(
        `SELECT pagetype, count(*) AS pages, avg(ncell) AS cells, sum(payload) * 1.0 / sum(ncell) AS bytes
         FROM dbstat WHERE name = 'trades_v2' GROUP BY pagetype ORDER BY pagetype`,
      )
      .all() as { pagetype: string; pages: number; cells: number; bytes: number }[]
  )
    .map(
      ({ pagetype, pages, cells, bytes }) =>
        `${pages} ${pagetype} pages of ${cells.toFixed(1)} cells (${bytes.toFixed(0)} B each)`,
    )
    .join(", ");

/**
 * The cost grows with the table (docs/adr/0003), so a long run also reports each stretch of this many
 * trades (100 s of event time).
 */
const SEGMENT_TRADES = 5_000_000;
const segmented = total > SEGMENT_TRADES;

/** Each symbol's last simulated second with a stored bar. */
const barSecond = new Map<number, number>();
const run = new Cost();
let segment = new Cost();
let longestMs = 0;
let bars = 0;
try {
  for (let first = 0; first < total; first += commitTrades) {
    const trades: TradeToStore[] = [];
    const due: Bar[] = [];
    for (let seq = first; seq < Math.min(first + commitTrades, total); seq++) {
      const timestamp = start + Math.floor((seq * 1_000) / RATE);
      const s = Math.floor(random() * symbols);
      const symbol = `SYM${s}`;
      const id = `${(Math.imul(seq, 2_654_435_761) >>> 0).toString(16).padStart(16, "0")}:${seq % 8}`;
      const conditions = seq % 4 === 0 ? [] : ["1", "12"];
      trades.push({
        id,
        symbol,
        price: 100 + random(),
        timestamp,
        volume: 100,
        conditions,
        processed_at: timestamp + 3,
        source: "finnhub",
        seq,
      });
      const second = Math.floor(timestamp / 1_000);
      if (barSecond.get(s) !== second) {
        barSecond.set(s, second);
        due.push(provisionalBar(symbol, timestamp));
      }
    }
    bars += due.length;
    const ioBefore = threadIo();
    const cpu = process.threadCpuUsage();
    const began = performance.now();
    writer.stage(packTrades([trades]), due);
    writer.commit();
    const took = performance.now() - began;
    segment.record(trades.length, took, process.threadCpuUsage(cpu), ioBefore);
    longestMs = Math.max(longestMs, took);
    if (segment.trades >= SEGMENT_TRADES || first + commitTrades >= total) {
      if (segmented)
        console.log(`trades ${run.trades} to ${run.trades + segment.trades}: ${segment.describe()}`);
      run.add(segment);
      segment = new Cost();
    }
  }
  console.log(
    `${commitTrades} trades per commit over ${symbols} symbols (page ${pageSize} B, cache ${cacheMiB} MiB, ` +
      `checkpoint every ${checkpointPages} pages), ${total} trades and ${bars} bars: ${run.describe()}; ` +
      `longest commit ${longestMs.toFixed(0)} ms`,
  );
  console.log(`trades_v2 at the end: ${treeShape()}`);
} finally {
  db.close();
  rmSync(folder, { recursive: true, force: true });
}
