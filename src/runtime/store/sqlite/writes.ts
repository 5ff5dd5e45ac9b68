import type { Database, Statement } from "bun:sqlite";
import { getTableConfig, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Bar } from "../../../modules/contracts/index.ts";
import { barValues } from "../bar-row.ts";
import { UtcPartition } from "../partition.ts";
import { emptyTradeRow, type PackedTrades, readTrade, symbolOrder } from "./packed-trades.ts";
import { symbolVersions, tradeAggregates, tradesV2 } from "./schema.ts";

/** Rows per INSERT statement: amortises the per-statement cost, measured best between 20 and 64. */
const ROWS_PER_STATEMENT = 32;

const t = tradesV2;
/** Column order of the trade parameters written by `TradeWriter.#fill`. */
const tradeColumns = [
  t.symbol,
  t.tradeYear,
  t.tradeMonth,
  t.tradeDay,
  t.timestamp,
  t.tradeId,
  t.seq,
  t.price,
  t.volume,
  t.conditions,
  t.tradeHour,
  t.processedAt,
  t.source,
  t.outlier,
];

const b = tradeAggregates;
/** Column order of the bar parameters written by `barParams`. */
const barColumns = [
  b.symbol,
  b.tradeYear,
  b.tradeMonth,
  b.windowStart,
  b.windowEnd,
  b.open,
  b.high,
  b.low,
  b.close,
  b.volume,
  b.tradeCount,
  b.vwap,
  b.volatility,
  b.mean,
  b.m2,
  b.sumPv,
  b.final,
  b.rev,
  b.updatedAt,
];

const names = (columns: readonly SQLiteColumn[]) => columns.map((column) => `"${column.name}"`).join(", ");
const tuple = (width: number) => `(${Array(width).fill("?").join(", ")})`;

const insertTrades = (rows: number) =>
  `INSERT OR IGNORE INTO "${getTableConfig(t).name}" (${names(tradeColumns)}) VALUES ${Array(rows)
    .fill(tuple(tradeColumns.length))
    .join(", ")}`;

const barKey = getTableConfig(b).primaryKeys[0]!.columns;
const upsertBar = `INSERT INTO "${getTableConfig(b).name}" (${names(barColumns)}) VALUES ${tuple(barColumns.length)}
  ON CONFLICT (${names(barKey)}) DO UPDATE SET ${barColumns
    .filter((column) => !barKey.includes(column))
    .map((column) => `"${column.name}" = excluded."${column.name}"`)
    .join(", ")}`;

const v = symbolVersions;
/** Raises the version of each symbol of a JSON array by one (a symbol never written before starts at 1). */
const bumpVersions = `INSERT INTO "${getTableConfig(v).name}" ("${v.symbol.name}", "${v.version.name}")
  SELECT value, 1 FROM json_each(?) WHERE true
  ON CONFLICT ("${v.symbol.name}") DO UPDATE SET "${v.version.name}" = "${v.version.name}" + 1`;

/**
 * The hot write path: prepared multi-row `INSERT OR IGNORE`s (rewriting a stored trade is a no-op) and
 * bar upserts. Writes are staged into one open immediate transaction as they arrive and made durable
 * together by `commit`, so inserting one write overlaps with its callers preparing the next; what a
 * commit carries is stored whole or not at all, with a new version of every symbol it wrote.
 */
export class SqliteWriter {
  readonly #db: Database;
  readonly #many: Statement;
  readonly #one: Statement;
  readonly #bar: Statement;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #bumpVersions: Statement;
  /** Symbols written since the last commit. */
  readonly #written = new Set<string>();
  readonly #params: (string | number)[] = new Array(ROWS_PER_STATEMENT * tradeColumns.length);
  readonly #single: (string | number)[] = new Array(tradeColumns.length);
  readonly #row = emptyTradeRow();
  readonly #partition = new UtcPartition();
  /** Why the open transaction failed; the commit that ends it throws it. */
  #failure: unknown;

  constructor(db: Database) {
    this.#db = db;
    this.#many = db.prepare(insertTrades(ROWS_PER_STATEMENT));
    this.#one = db.prepare(insertTrades(1));
    this.#bar = db.prepare(upsertBar);
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#bumpVersions = db.prepare(bumpVersions);
  }

  /**
   * Inserts trades (see `packTrades`) and then upserts bars in the open transaction, opening one (and
   * taking the write lock) if needed. A failure rolls back everything staged since the last commit and
   * makes the next `commit` throw; until then further writes are ignored, as they would be lost with it.
   */
  stage(trades: PackedTrades | undefined, bars: readonly Bar[]): void {
    if (this.#failure !== undefined) return;
    try {
      if (!this.#db.inTransaction) this.#begin.run();
      if (trades) {
        this.#insertTrades(trades);
        for (const symbol of trades.symbols.values) this.#written.add(symbol);
      }
      for (const bar of bars) {
        this.#bar.run(this.#barParams(bar));
        this.#written.add(bar.symbol);
      }
    } catch (error) {
      this.#failure = error;
      this.rollback();
    }
  }

  /** Makes everything staged since the last commit durable; throws (storing none of it) if it failed. */
  commit(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure;
    if (!this.#db.inTransaction) return;
    try {
      this.#bumpWrittenVersions();
      this.#commit.run();
    } catch (error) {
      this.rollback();
      throw error;
    }
  }

  /** Drops what was staged since the last commit. */
  rollback(): void {
    this.#written.clear();
    if (this.#db.inTransaction) this.#rollback.run();
  }

  #bumpWrittenVersions() {
    if (this.#written.size === 0) return;
    this.#bumpVersions.run(JSON.stringify([...this.#written]));
    this.#written.clear();
  }

  #insertTrades(trades: PackedTrades) {
    const order = symbolOrder(trades);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= trades.count; i += ROWS_PER_STATEMENT) {
      for (let row = 0; row < ROWS_PER_STATEMENT; row++)
        this.#fill(this.#params, row, trades, order[i + row]!);
      this.#many.run(this.#params);
    }
    for (; i < trades.count; i++) {
      this.#fill(this.#single, 0, trades, order[i]!);
      this.#one.run(this.#single);
    }
  }

  #fill(params: (string | number)[], row: number, trades: PackedTrades, index: number) {
    const trade = readTrade(trades, index, this.#row);
    const at = row * tradeColumns.length;
    const partition = this.#partition.of(trade.timestamp);
    params[at] = trade.symbol;
    params[at + 1] = partition.year;
    params[at + 2] = partition.month;
    params[at + 3] = partition.day;
    params[at + 4] = trade.timestamp;
    params[at + 5] = trade.id;
    params[at + 6] = trade.seq;
    params[at + 7] = trade.price;
    params[at + 8] = trade.volume;
    params[at + 9] = trade.conditions;
    params[at + 10] = partition.hour;
    params[at + 11] = trade.processedAt;
    params[at + 12] = trade.source;
    params[at + 13] = trade.outlier;
  }

  #barParams(bar: Bar) {
    const partition = this.#partition.of(bar.t);
    return [
      bar.symbol,
      partition.year,
      partition.month,
      ...barValues(bar),
      bar.final ? 1 : 0,
      bar.rev,
      bar.updated_at,
    ];
  }
}
