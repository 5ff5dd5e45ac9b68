import type { Client } from "cassandra-driver";
import type { SymbolSummary } from "../types.ts";
import { dayKey, dayOf } from "./partitions.ts";
import { Semaphore } from "./semaphore.ts";
import type { Statements } from "./statements.ts";
import { readAll } from "./walk.ts";

/** Today's counts run concurrently, but not as a burst of one query per symbol at once. */
const COUNT_CONCURRENCY = 16;

/**
 * Every symbol with stored trades (from the `symbols` lookup table, a few rows per symbol, never
 * trades_v2) with its latest trade, and today's trade count. The count is a COUNT(*) over today's day
 * partition: exact and idempotent-safe, but it reads every trade of the day, so its cost grows with
 * the day's volume.
 */
export const readSymbols = async (client: Client, cql: Statements): Promise<SymbolSummary[]> => {
  const rows = await readAll(client, cql.symbols, [], "symbols read");
  const today = dayOf(Date.now());
  const counting = new Semaphore(COUNT_CONCURRENCY);
  const summaries = await Promise.all(
    rows.map(async (row) => {
      const symbol = row.get("symbol") as string;
      const counted = await counting.run(() =>
        readAll(client, cql.countDay, [symbol, ...dayKey(today)], "trades today count"),
      );
      return {
        symbol,
        lastPrice: row.get("last_price") as number,
        lastTradeAt: (row.get("last_trade_at") as Date).getTime(),
        tradesToday: (counted[0]!.get("n") as { toNumber(): number }).toNumber(),
      };
    }),
  );
  return summaries.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
};
