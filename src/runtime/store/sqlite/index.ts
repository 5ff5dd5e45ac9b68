import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { errorMessage, TickflowError } from "../../errors.ts";
import { metricsOf, type Registry } from "../../metrics/index.ts";
import { storeMetrics } from "../metrics.ts";
import { barRange, toPage, tradeRange } from "../page.ts";
import { MAX_TIME_MS, MIN_TIME_MS } from "../partition.ts";
import type { Store } from "../types.ts";
import { openSqlite } from "./connection.ts";
import { guard } from "./errors.ts";
import { groupCommit } from "./group-commit.ts";
import { sqliteMetrics } from "./metrics.ts";
import { packTrades } from "./packed-trades.ts";
import { type PendingWrite, sparseWrites } from "./pending-writes.ts";
import { prepareQueries } from "./queries.ts";
import { symbolVersions, tradeAggregates, tradesV2 } from "./schema.ts";
import { WriteThread } from "./write-client.ts";

export { type MigrateSqliteOptions, type MigrateSqliteResult, migrateSqlite } from "./migrate.ts";

export interface SqliteStoreOptions {
  /** Database file, migrated beforehand with `migrateSqlite`. */
  path: string;
  /** Where the shared store write metrics are registered. */
  registry: Registry;
  /**
   * Shortest time from one commit's start to the next when the next would write few rows per page it
   * touches (`sparseWrites`), so that it carries more (0, the default: no wait).
   */
  commitHoldMs?: number;
}

/**
 * A commit by another connection (the write thread) empties this connection's page cache; through a map
 * the next read finds the pages in the OS cache instead of copying each one in with a read() call, which
 * made a page of 1,440 bars read right after a commit take 1.6x as long. Only pages read are mapped in.
 */
const READ_MMAP_BYTES = 256 * 2 ** 20;

const tableNames = [tradesV2, tradeAggregates, symbolVersions].map((table) => getTableConfig(table).name);

const assertMigrated = (db: Database, path: string) => {
  const found = db.query(
    `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN (${tableNames.map(() => "?").join(", ")})`,
  );
  const { n } = found.get(...tableNames) as { n: number };
  if (n < tableNames.length)
    throw new TickflowError("STORE_REJECTED", `${path} lacks tickflow tables: run \`bun run migrate\``);
};

const fileIdentity = (path: string) => {
  const { dev, ino } = statSync(path);
  return `${dev}:${ino}`;
};

/**
 * The embedded Store: one SQLite file in WAL mode. Reads run on this thread (a query-only connection);
 * writes run on a write thread (./write-thread.ts), so inserts, commits and checkpoints use another
 * core: each write is inserted there as it comes, and writes requested while a commit is in flight share
 * the next transaction (`groupCommit`).
 */
export const createSqliteStore = (options: SqliteStoreOptions): Store => {
  const { path } = options;
  const db = openSqlite(path, { mmapBytes: READ_MMAP_BYTES });
  let closed = false;
  const open = <T>(operation: string, run: () => T): T => {
    if (closed)
      throw new TickflowError("STORE_UNAVAILABLE", "the SQLite store is closed", { retryable: false });
    return guard(operation, run);
  };
  try {
    guard("schema check", () => assertMigrated(db, path));
  } catch (error) {
    db.close();
    throw error;
  }
  db.run("PRAGMA query_only = 1");
  const thread = new WriteThread(path);
  const metrics = metricsOf(options.registry, storeMetrics);
  metricsOf(options.registry, sqliteMetrics).writeThread.busySeconds = () => thread.busySeconds();
  // Trades and bars requested in the same round share one transaction: at thousands of symbols a commit
  // costs a page write per symbol it touches, whatever the rows.
  const commit = groupCommit<PendingWrite>(
    {
      stage: (writes) => {
        for (const write of writes) {
          if (write.kind === "trades") thread.stage(packTrades([write.rows]), undefined);
          else thread.stage(undefined, JSON.stringify(write.rows));
        }
      },
      commit: () => thread.commit(),
    },
    { holdMs: options.commitHoldMs ?? 0, sparse: sparseWrites },
  );
  const write = async (pending: PendingWrite) => {
    if (pending.rows.length === 0) return;
    const stopTimer = metrics.writeLatency.startTimer({ kind: pending.kind });
    try {
      await commit([pending]);
    } catch (error) {
      metrics.writeErrors.inc({ kind: pending.kind });
      throw error;
    }
    stopTimer();
  };
  const queries = prepareQueries(db);
  const identity = fileIdentity(path);

  return {
    writeTrades: (rows) => write({ kind: "trades", rows }),
    writeBars: (rows) => write({ kind: "bars", rows }),
    getBars: async (symbol, windowStarts) =>
      open("bar read", () => windowStarts.flatMap((start) => queries.bar(symbol, start) ?? [])),
    tradesBetween: async (symbol, from, to) =>
      open("trade read", () => queries.tradesBetween(symbol, from, to)),
    queryTrades: async (query) => {
      const { after, before } = tradeRange(query);
      const rows = open("trade read", () =>
        queries.tradePage(query.symbol, after, before, query.sort, query.limit + 1),
      );
      return toPage(rows, query.limit, (trade) => ({ t: trade.timestamp, id: trade.id }));
    },
    queryBars: async (query) => {
      const { from, to } = barRange(query);
      const rows = open("bar read", () =>
        queries.barPage(query.symbol, from, to, query.sort, query.limit + 1),
      );
      return toPage(rows, query.limit, (bar) => ({ t: bar.t }));
    },
    symbols: async () =>
      open("symbol read", () => {
        const now = Date.now();
        return queries.symbols().flatMap((symbol) => {
          const [latest] = queries.tradePage(
            symbol,
            { t: MIN_TIME_MS, id: "" },
            { t: MAX_TIME_MS, id: "" },
            "desc",
            1,
          );
          if (!latest) return [];
          const tradesToday = queries.dayBarTrades(symbol, now);
          return [{ symbol, lastPrice: latest.price, lastTradeAt: latest.timestamp, tradesToday }];
        });
      }),
    readVersion: (symbol) => open("version read", () => queries.symbolVersion(symbol)),
    health: async () => {
      try {
        if (fileIdentity(path) !== identity) return { ok: false, detail: `${path} was replaced` };
        await thread.probe();
        return { ok: true, detail: `SQLite ${path}` };
      } catch (error) {
        return { ok: false, detail: errorMessage(error) };
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await thread.close();
      } finally {
        db.close();
      }
    },
  };
};
