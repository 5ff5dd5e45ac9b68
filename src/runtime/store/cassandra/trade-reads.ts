import type { Client } from "cassandra-driver";
import { compareTrades, type Trade } from "../../../modules/contracts/index.ts";
import type { TradePosition } from "../page.ts";
import type { StoredTrade } from "../types.ts";
import { dayKey, dayOf } from "./partitions.ts";
import { tradeFromRow } from "./rows.ts";
import type { Statements } from "./statements.ts";
import { readAll, walkPartitions } from "./walk.ts";

export interface TradeSlice {
  symbol: string;
  /** Trades lie strictly between these (timestamp, id) positions. */
  after: TradePosition;
  before: TradePosition;
  sort: "asc" | "desc";
  /** How many trades to return at most (the first ones in `sort` order). */
  want: number;
}

const byIdAsc = (a: Trade, b: Trade) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byIdDesc = (a: Trade, b: Trade) => byIdAsc(b, a);
const inside = (trade: Trade, after: TradePosition, before: TradePosition) =>
  (trade.timestamp > after.t || (trade.timestamp === after.t && trade.id > after.id)) &&
  (trade.timestamp < before.t || (trade.timestamp === before.t && trade.id < before.id));

/**
 * The first `want` trades of a slice in (timestamp, id) order, ascending or exactly reversed. The day
 * partitions holding the symbol's trades come from the `symbols` lookup table and are walked in order.
 * Cassandra returns one millisecond's trades in the opposite id order (clustering is timestamp DESC,
 * trade_id ASC), so each millisecond is gathered whole, sorted, then trimmed to the slice's bounds.
 */
export const readTrades = async (
  client: Client,
  cql: Statements,
  slice: TradeSlice,
): Promise<StoredTrade[]> => {
  const { symbol, after, before, sort, want } = slice;
  if (after.t > before.t || want <= 0) return [];
  const days = await readAll(client, cql.days[sort], [symbol, dayOf(after.t), dayOf(before.t)], "trade read");
  const queries = days.map((row) => ({
    query: cql.trades[sort],
    params: [symbol, ...dayKey(row.get("day") as number), after.t, before.t],
  }));
  const compareIds = sort === "asc" ? byIdAsc : byIdDesc;
  const trades: StoredTrade[] = [];
  let millisecond: StoredTrade[] = [];
  const flush = () => {
    for (const trade of millisecond.sort(compareIds)) if (inside(trade, after, before)) trades.push(trade);
    millisecond = [];
  };
  for await (const row of walkPartitions(client, queries, want + 1, "trade read")) {
    const trade = tradeFromRow(symbol, row);
    if (millisecond.length > 0 && millisecond[0]!.timestamp !== trade.timestamp) {
      flush();
      if (trades.length >= want) break;
    }
    millisecond.push(trade);
  }
  flush();
  return trades.length > want ? trades.slice(0, want) : trades;
};

/** Every trade of `symbol` with from <= timestamp < to, in (timestamp, seq) order. */
export const readTradesBetween = async (
  client: Client,
  cql: Statements,
  symbol: string,
  from: number,
  to: number,
): Promise<StoredTrade[]> => {
  const all = await readTrades(client, cql, {
    symbol,
    after: { t: from, id: "" },
    before: { t: to, id: "" },
    sort: "asc",
    want: Number.POSITIVE_INFINITY,
  });
  return all.sort(compareTrades);
};
