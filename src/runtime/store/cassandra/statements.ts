/** Columns of a stored trade, in the order `tradeParams` binds them. */
const tradeColumns =
  "symbol, trade_year, trade_month, trade_day, timestamp, trade_id, seq, price, volume, conditions, trade_hour, processed_at, source, outlier";
/** Columns of a stored bar, in the order `barParams` binds them. */
const barColumns =
  "symbol, trade_year, trade_month, window_start, window_end, open, high, low, close, volume, trade_count, vwap, volatility, mean, m2, sum_pv, final, rev, updated_at";
const tradeRead = "timestamp, trade_id, seq, price, volume, conditions, processed_at, source, outlier";
const dayKey = "symbol = ? AND trade_year = ? AND trade_month = ? AND trade_day = ?";
const monthKey = "symbol = ? AND trade_year = ? AND trade_month = ?";
const marks = (columns: string) => columns.split(",").fill("?").join(", ");

/** Every CQL statement of the store for one keyspace; all run prepared. */
export const statements = (keyspace: string) => ({
  insertTrade: `INSERT INTO ${keyspace}.trades_v2 (${tradeColumns}) VALUES (${marks(tradeColumns)})`,
  insertBar: `INSERT INTO ${keyspace}.trade_aggregates (${barColumns}) VALUES (${marks(barColumns)})`,
  /** (symbol, day, last price, last trade time, write timestamp in µs = last trade time). */
  touchDay: `INSERT INTO ${keyspace}.symbols (symbol, day, last_price, last_trade_at) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
  touchMonth: `INSERT INTO ${keyspace}.bar_months (symbol, month) VALUES (?, ?)`,

  /** Days with trades of a symbol in [first, last] (epoch day numbers), ascending or descending. */
  days: {
    asc: `SELECT day FROM ${keyspace}.symbols WHERE symbol = ? AND day >= ? AND day <= ? ORDER BY day ASC`,
    desc: `SELECT day FROM ${keyspace}.symbols WHERE symbol = ? AND day >= ? AND day <= ? ORDER BY day DESC`,
  },
  months: {
    asc: `SELECT month FROM ${keyspace}.bar_months WHERE symbol = ? AND month >= ? AND month <= ? ORDER BY month ASC`,
    desc: `SELECT month FROM ${keyspace}.bar_months WHERE symbol = ? AND month >= ? AND month <= ? ORDER BY month DESC`,
  },
  /** Trades of one day partition with first <= timestamp <= last (both inclusive; callers trim by id). */
  trades: {
    asc: `SELECT ${tradeRead} FROM ${keyspace}.trades_v2 WHERE ${dayKey} AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp ASC, trade_id DESC`,
    desc: `SELECT ${tradeRead} FROM ${keyspace}.trades_v2 WHERE ${dayKey} AND timestamp >= ? AND timestamp <= ?`,
  },
  /** Bars of one month partition with from <= window_start < to. */
  bars: {
    asc: `SELECT ${barColumns} FROM ${keyspace}.trade_aggregates WHERE ${monthKey} AND window_start >= ? AND window_start < ? ORDER BY window_start ASC`,
    desc: `SELECT ${barColumns} FROM ${keyspace}.trade_aggregates WHERE ${monthKey} AND window_start >= ? AND window_start < ?`,
  },
  barsAt: `SELECT ${barColumns} FROM ${keyspace}.trade_aggregates WHERE ${monthKey} AND window_start IN ?`,
  /** Trades counted by the bars of one month partition with from <= window_start < to. */
  barTrades: `SELECT SUM(trade_count) AS n FROM ${keyspace}.trade_aggregates WHERE ${monthKey} AND window_start >= ? AND window_start < ?`,
  symbols: `SELECT DISTINCT symbol, last_price, last_trade_at FROM ${keyspace}.symbols`,
  probe: "SELECT release_version FROM system.local",
});

export type Statements = ReturnType<typeof statements>;
