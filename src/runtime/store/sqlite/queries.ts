import type { Database } from "bun:sqlite";
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Bar } from "../../../modules/contracts/index.ts";
import type { TradePosition } from "../page.ts";
import { UtcPartition } from "../partition.ts";
import type { StoredTrade } from "../types.ts";
import { type Bindings, rawSelect } from "./raw-select.ts";
import { tradeAggregates as b, tradesV2 as t, symbolVersions as v } from "./schema.ts";

const p = sql.placeholder;
const DAY_MS = 86_400_000;

/** Trades and bars are selected in their contract shapes' field order and built by `tradeOf` / `barOf`. */
const tradeFields = {
  id: t.tradeId,
  symbol: t.symbol,
  price: t.price,
  timestamp: t.timestamp,
  volume: t.volume,
  conditions: t.conditions,
  processed_at: t.processedAt,
  source: t.source,
  seq: t.seq,
  outlier: t.outlier,
};

const barFields = {
  symbol: b.symbol,
  t: b.windowStart,
  T: b.windowEnd,
  o: b.open,
  h: b.high,
  l: b.low,
  c: b.close,
  v: b.volume,
  n: b.tradeCount,
  vw: b.vwap,
  volatility: b.volatility,
  mean: b.mean,
  m2: b.m2,
  sum_pv: b.sumPv,
  final: b.final,
  rev: b.rev,
  updated_at: b.updatedAt,
};

/** Venues use a handful of condition lists: the first few seen are parsed once and shared, frozen. */
const MEMO_CONDITIONS = 64;
const conditionLists = new Map<string, string[]>();

const conditionsOf = (text: string): string[] => {
  const known = conditionLists.get(text);
  if (known) return known;
  const parsed = JSON.parse(text) as string[];
  if (conditionLists.size < MEMO_CONDITIONS) conditionLists.set(text, Object.freeze(parsed) as string[]);
  return parsed;
};

const tradeOf = (row: unknown[]): StoredTrade => ({
  id: row[0] as string,
  symbol: row[1] as string,
  price: row[2] as number,
  timestamp: row[3] as number,
  volume: row[4] as number,
  conditions: conditionsOf(row[5] as string),
  processed_at: row[6] as number,
  source: row[7] as string,
  seq: row[8] as number,
  outlier: row[9] === 1,
});

const barOf = (row: unknown[]): Bar => ({
  symbol: row[0] as string,
  t: row[1] as number,
  T: row[2] as number,
  o: row[3] as number,
  h: row[4] as number,
  l: row[5] as number,
  c: row[6] as number,
  v: row[7] as number,
  n: row[8] as number,
  vw: row[9] as number | null,
  volatility: row[10] as number | null,
  mean: row[11] as number,
  m2: row[12] as number,
  sum_pv: row[13] as number,
  final: row[14] === 1,
  rev: row[15] as number,
  updated_at: row[16] as number,
});

/** A row-value comparison of key columns against named placeholders, e.g. `(a, b) > (:xa, :xb)`. */
const compare = (columns: readonly SQLiteColumn[], op: "=" | ">" | "<" | ">=", prefix: string): SQL =>
  sql`(${sql.join([...columns], sql`, `)}) ${sql.raw(op)} (${sql.join(
    columns.map((column) => p(`${prefix}${column.name}`)),
    sql`, `,
  )})`;

/** Trades are ordered by their key; partition columns lead it and grow with the timestamp. */
const tradeKey = [t.tradeYear, t.tradeMonth, t.tradeDay, t.timestamp, t.tradeId];
const barKey = [b.tradeYear, b.tradeMonth, b.windowStart];

/** The read statements, prepared once per connection. */
export const prepareQueries = (client: Database) => {
  const db = drizzle({ client });
  const partition = new UtcPartition();
  const tradeBound = (prefix: string, position: TradePosition) => {
    partition.of(position.t);
    return {
      [`${prefix}trade_year`]: partition.year,
      [`${prefix}trade_month`]: partition.month,
      [`${prefix}trade_day`]: partition.day,
      [`${prefix}timestamp`]: position.t,
      [`${prefix}trade_id`]: position.id,
    };
  };
  const barBound = (prefix: string, time: number) => {
    partition.of(time);
    return {
      [`${prefix}trade_year`]: partition.year,
      [`${prefix}trade_month`]: partition.month,
      [`${prefix}window_start`]: time,
    };
  };

  const trades = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const select = rawSelect(client, query);
    return (bindings: Bindings) => select(bindings).map(tradeOf);
  };
  const bars = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const select = rawSelect(client, query);
    return (bindings: Bindings) => select(bindings).map(barOf);
  };
  const tradePage = (order: typeof asc) =>
    trades(
      db
        .select(tradeFields)
        .from(t)
        .where(and(eq(t.symbol, p("symbol")), compare(tradeKey, ">", "a_"), compare(tradeKey, "<", "b_")))
        .orderBy(...tradeKey.map((column) => order(column)))
        .limit(p("limit")),
    );
  const barPage = (order: typeof asc) =>
    bars(
      db
        .select(barFields)
        .from(b)
        .where(and(eq(b.symbol, p("symbol")), compare(barKey, ">=", "a_"), compare(barKey, "<", "b_")))
        .orderBy(...barKey.map((column) => order(column)))
        .limit(p("limit")),
    );
  const tradePages = { asc: tradePage(asc), desc: tradePage(desc) };
  const barPages = { asc: barPage(asc), desc: barPage(desc) };
  const between = trades(
    db
      .select(tradeFields)
      .from(t)
      .where(and(eq(t.symbol, p("symbol")), compare(tradeKey, ">", "a_"), compare(tradeKey, "<", "b_")))
      .orderBy(t.timestamp, t.seq),
  );
  const bar = bars(
    db
      .select(barFields)
      .from(b)
      .where(and(eq(b.symbol, p("symbol")), compare(barKey, "=", "a_"))),
  );
  const symbols = sql`
    WITH RECURSIVE found(symbol) AS (
      SELECT min(${t.symbol}) FROM ${t}
      UNION ALL
      SELECT (SELECT min(${t.symbol}) FROM ${t} WHERE ${t.symbol} > found.symbol) FROM found WHERE found.symbol IS NOT NULL
    ) SELECT symbol FROM found WHERE symbol IS NOT NULL`;
  const dayBarTrades = db
    .select({ n: sql<number>`coalesce(sum(${b.tradeCount}), 0)` })
    .from(b)
    .where(and(eq(b.symbol, p("symbol")), compare(barKey, ">=", "a_"), compare(barKey, "<", "b_")))
    .prepare();

  const symbolVersion = db
    .select({ version: v.version })
    .from(v)
    .where(eq(v.symbol, p("symbol")))
    .prepare();

  return {
    /** Raised by every commit that wrote the symbol, whichever connection or process made it; 0 before any. */
    symbolVersion: (symbol: string): number => symbolVersion.get({ symbol })?.version ?? 0,
    /** Trades strictly between two positions, `limit` of them from the `sort` end. */
    tradePage: (
      symbol: string,
      after: TradePosition,
      before: TradePosition,
      sort: "asc" | "desc",
      limit: number,
    ): StoredTrade[] =>
      tradePages[sort]({
        symbol,
        limit,
        ...tradeBound("a_", after),
        ...tradeBound("b_", before),
      }),
    /** Bars with from <= t < to, `limit` of them from the `sort` end. */
    barPage: (symbol: string, from: number, to: number, sort: "asc" | "desc", limit: number): Bar[] =>
      barPages[sort]({ symbol, limit, ...barBound("a_", from), ...barBound("b_", to) }),
    /** Every trade with from <= timestamp < to, in (timestamp, seq) order. */
    tradesBetween: (symbol: string, from: number, to: number): StoredTrade[] =>
      between({
        symbol,
        ...tradeBound("a_", { t: from, id: "" }),
        ...tradeBound("b_", { t: to, id: "" }),
      }),
    /** Every symbol with stored trades, without reading all of them (one index seek per symbol). */
    symbols: () => db.all<{ symbol: string }>(symbols).map((row) => row.symbol),
    /** Trades counted by the stored 1-minute bars of `symbol` on the UTC day of `time` (at most 1,440 rows). */
    dayBarTrades: (symbol: string, time: number) => {
      const dayStart = time - (time % DAY_MS);
      const bounds = { ...barBound("a_", dayStart), ...barBound("b_", dayStart + DAY_MS) };
      return dayBarTrades.get({ symbol, ...bounds })?.n ?? 0;
    },
    bar: (symbol: string, windowStart: number): Bar | undefined =>
      bar({ symbol, ...barBound("a_", windowStart) })[0],
  };
};
