import type { Client } from "cassandra-driver";
import type { SymbolSummary } from "../types.ts";
import { monthKey, monthOf } from "./partitions.ts";
import { Semaphore } from "./semaphore.ts";
import type { Statements } from "./statements.ts";
import { readAll } from "./walk.ts";

const DAY_MS = 86_400_000;
/** Today's counts run concurrently, but not as a burst of one query per symbol at once. */
const COUNT_CONCURRENCY = 16;

/**
 * Every symbol with stored trades (from the `symbols` lookup table, a few rows per symbol, never
 * trades_v2) with its latest trade, and today's trade count: the sum of `trade_count` over today's stored
 * 1-minute bars (one month partition, at most 1,440 rows per symbol whatever the day's volume).
 */
export const readSymbols = async (client: Client, cql: Statements): Promise<SymbolSummary[]> => {
  const rows = await readAll(client, cql.symbols, [], "symbols read");
  const now = Date.now();
  const today = now - (now % DAY_MS);
  const partition = monthKey(monthOf(today));
  const counting = new Semaphore(COUNT_CONCURRENCY);
  const summaries = await Promise.all(
    rows.map(async (row) => {
      const symbol = row.get("symbol") as string;
      const [sum] = await counting.run(() =>
        readAll(client, cql.barTrades, [symbol, ...partition, today, today + DAY_MS], "trades today count"),
      );
      return {
        symbol,
        lastPrice: row.get("last_price") as number,
        lastTradeAt: (row.get("last_trade_at") as Date).getTime(),
        tradesToday: (sum?.get("n") as number | null) ?? 0,
      };
    }),
  );
  return summaries.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
};
