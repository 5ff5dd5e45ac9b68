import { Database } from "bun:sqlite";
import type { Bar } from "../../src/modules/contracts/index.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import type { StoredTrade } from "../../src/runtime/store/index.ts";
import { createSqliteStore } from "../../src/runtime/store/sqlite/index.ts";

export interface StoreCounts {
  trades: number;
  bars: number;
  finalBars: number;
}

/** Row counts of a tickflow SQLite file, read while other processes write it. */
export const storeCounts = (path: string): StoreCounts => {
  let db: Database | undefined;
  try {
    db = new Database(path, { readonly: true });
    const open = db;
    const count = (sql: string) => (open.query(sql).get() as { n: number | null }).n ?? 0;
    return {
      trades: count("SELECT count(*) AS n FROM trades_v2"),
      bars: count("SELECT count(*) AS n FROM trade_aggregates"),
      finalBars: count("SELECT sum(final) AS n FROM trade_aggregates"),
    };
  } catch {
    // Not migrated yet.
    return { trades: 0, bars: 0, finalBars: 0 };
  } finally {
    db?.close();
  }
};

/**
 * Every trade and 1-minute bar of `symbols` in [from, to) of a tickflow SQLite file, read through the
 * store: bars in (symbol, t) order, at most 5,000 a symbol (more fails).
 */
export const readStored = async (
  path: string,
  symbols: readonly string[],
  { from, to }: { from: number; to: number },
): Promise<{ trades: StoredTrade[]; bars: Bar[] }> => {
  const store = createSqliteStore({ path, registry: createRegistry() });
  try {
    const trades = (await Promise.all(symbols.map((symbol) => store.tradesBetween(symbol, from, to)))).flat();
    const bars: Bar[] = [];
    for (const symbol of symbols) {
      const page = await store.queryBars({ symbol, from, to, limit: 5_000, sort: "asc" });
      if (page.nextCursor !== null) throw new Error(`more than 5,000 bars of ${symbol} in ${path}`);
      bars.push(...page.results);
    }
    return { trades, bars };
  } finally {
    await store.close();
  }
};
