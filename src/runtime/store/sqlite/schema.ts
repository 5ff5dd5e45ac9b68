import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/*
 * The tables of DESIGN section 5, the same logical tables as the Cassandra keyspace, and the symbol
 * versions only SQLite keeps. Partition columns (trade_year, trade_month, trade_day) are UTC and lead the
 * keys, as in Cassandra, so a time range is one key range: see `keyBounds` in ./bounds.ts.
 *
 * Every table is WITHOUT ROWID (clustered by its key, about 20% faster to insert and half the size),
 * which drizzle-kit cannot express: the generated CREATE TABLE statements were completed by hand. A
 * future migration that makes drizzle-kit rebuild one of these tables must keep that clause.
 */

/** Stored trades; the key includes the trade id, so rewriting a trade is a no-op. */
export const tradesV2 = sqliteTable(
  "trades_v2",
  {
    symbol: text("symbol").notNull(),
    tradeYear: integer("trade_year").notNull(),
    tradeMonth: integer("trade_month").notNull(),
    tradeDay: integer("trade_day").notNull(),
    timestamp: integer("timestamp").notNull(),
    tradeId: text("trade_id").notNull(),
    /** Arrival order inside the source: recomputed bars take open and close by (timestamp, seq). */
    seq: integer("seq").notNull(),
    price: real("price").notNull(),
    volume: real("volume").notNull(),
    /** JSON array of condition codes. */
    conditions: text("conditions", { mode: "json" }).$type<string[]>().notNull(),
    tradeHour: integer("trade_hour").notNull(),
    processedAt: integer("processed_at").notNull(),
    source: text("source").notNull(),
    /** Flagged by the processor; added by migration 0001, so rows stored before it read as false. */
    outlier: integer("outlier", { mode: "boolean" }).notNull().default(false),
  },
  (table) => [
    primaryKey({
      columns: [
        table.symbol,
        table.tradeYear,
        table.tradeMonth,
        table.tradeDay,
        table.timestamp,
        table.tradeId,
      ],
    }),
  ],
);

/** 1-minute bars with their mergeable state (mean, m2, sum_pv); key (symbol, month, window start). */
export const tradeAggregates = sqliteTable(
  "trade_aggregates",
  {
    symbol: text("symbol").notNull(),
    tradeYear: integer("trade_year").notNull(),
    tradeMonth: integer("trade_month").notNull(),
    windowStart: integer("window_start").notNull(),
    windowEnd: integer("window_end").notNull(),
    open: real("open").notNull(),
    high: real("high").notNull(),
    low: real("low").notNull(),
    close: real("close").notNull(),
    volume: real("volume").notNull(),
    tradeCount: integer("trade_count").notNull(),
    vwap: real("vwap"),
    volatility: real("volatility"),
    mean: real("mean").notNull(),
    m2: real("m2").notNull(),
    sumPv: real("sum_pv").notNull(),
    final: integer("final", { mode: "boolean" }).notNull(),
    rev: integer("rev").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.symbol, table.tradeYear, table.tradeMonth, table.windowStart] })],
);

/**
 * A counter per symbol, raised by every commit that writes the symbol's trades or bars: a reader that
 * finds a symbol's version unchanged knows its reads of that symbol would answer as before, whatever
 * other symbols were written meanwhile (the API's response cache, `Store.readVersion`).
 */
export const symbolVersions = sqliteTable("symbol_versions", {
  symbol: text("symbol").primaryKey(),
  version: integer("version").notNull(),
});
