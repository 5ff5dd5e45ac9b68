import type { Database, Statement } from "bun:sqlite";
import { getTableConfig, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Bar } from "../../../modules/contracts/index.ts";
import { UtcPartition } from "../partition.ts";
import type { TradeToStore } from "../types.ts";
import { tradeAggregates, tradesV2 } from "./schema.ts";

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

/**
 * The hot write path: prepared multi-row `INSERT OR IGNORE`s (rewriting a stored trade is a no-op) and
 * bar upserts, each call one immediate transaction, so a batch is stored whole or not at all.
 */
export class SqliteWriter {
  readonly #many: Statement;
  readonly #one: Statement;
  readonly #bar: Statement;
  readonly #params: (string | number)[] = new Array(ROWS_PER_STATEMENT * tradeColumns.length);
  readonly #single: (string | number)[] = new Array(tradeColumns.length);
  readonly #partition = new UtcPartition();
  readonly #writeTrades: (trades: readonly TradeToStore[]) => void;
  readonly #writeBars: (bars: readonly Bar[]) => void;

  constructor(db: Database) {
    this.#many = db.prepare(insertTrades(ROWS_PER_STATEMENT));
    this.#one = db.prepare(insertTrades(1));
    this.#bar = db.prepare(upsertBar);
    this.#writeTrades = db.transaction((trades: readonly TradeToStore[]) =>
      this.#insertTrades(trades),
    ).immediate;
    this.#writeBars = db.transaction((bars: readonly Bar[]) => {
      for (const bar of bars) this.#bar.run(this.#barParams(bar));
    }).immediate;
  }

  writeTrades(trades: readonly TradeToStore[]): void {
    if (trades.length > 0) this.#writeTrades(trades);
  }

  writeBars(bars: readonly Bar[]): void {
    if (bars.length > 0) this.#writeBars(bars);
  }

  #insertTrades(trades: readonly TradeToStore[]) {
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= trades.length; i += ROWS_PER_STATEMENT) {
      for (let row = 0; row < ROWS_PER_STATEMENT; row++) this.#fill(this.#params, row, trades[i + row]!);
      this.#many.run(this.#params);
    }
    for (; i < trades.length; i++) {
      this.#fill(this.#single, 0, trades[i]!);
      this.#one.run(this.#single);
    }
  }

  #fill(params: (string | number)[], row: number, trade: TradeToStore) {
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
    params[at + 9] = trade.conditions.length === 0 ? "[]" : JSON.stringify(trade.conditions);
    params[at + 10] = partition.hour;
    params[at + 11] = trade.processed_at;
    params[at + 12] = trade.source;
    params[at + 13] = trade.outlier ? 1 : 0;
  }

  #barParams(bar: Bar) {
    const partition = this.#partition.of(bar.t);
    return [
      bar.symbol,
      partition.year,
      partition.month,
      bar.t,
      bar.T,
      bar.o,
      bar.h,
      bar.l,
      bar.c,
      bar.v,
      bar.n,
      bar.vw,
      bar.volatility,
      bar.mean,
      bar.m2,
      bar.sum_pv,
      bar.final ? 1 : 0,
      bar.rev,
      bar.updated_at,
    ];
  }
}
