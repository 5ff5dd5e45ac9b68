import type { Client } from "cassandra-driver";
import type { Config } from "../../config/index.ts";
import { TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { metricsOf, type Registry } from "../../metrics/index.ts";
import { defaultBackoff } from "../../retry.ts";
import { storeMetrics } from "../metrics.ts";
import { barRange, toPage, tradeRange } from "../page.ts";
import type { Store } from "../types.ts";
import { readBars, readBarsAt } from "./bar-reads.ts";
import { connectCassandra } from "./client.ts";
import { toStoreError } from "./errors.ts";
import { migrateCassandra } from "./migrate.ts";
import { statements } from "./statements.ts";
import { readSymbols } from "./symbols.ts";
import { readTrades, readTradesBetween } from "./trade-reads.ts";
import { createWriter } from "./writes.ts";

export { type CassandraConnection, connectCassandra } from "./client.ts";
export { type MigrateCassandraOptions, type MigrateCassandraResult, migrateCassandra } from "./migrate.ts";

export interface CassandraStoreDeps {
  options: Config["cassandra"];
  logger: Logger;
  registry: Registry;
  /** An open session to use (and leave open on close); otherwise one is opened from `options`. */
  client?: Client;
}

/**
 * The production Store on Cassandra: one driver session, prepared statements, writes batched per
 * partition with bounded concurrency and retries, reads walking the day (trades) and month (bars)
 * partitions a range spans. Applies pending migrations first when `migrateOnStart` is set.
 */
export const createCassandraStore = async (deps: CassandraStoreDeps): Promise<Store> => {
  const { options, logger } = deps;
  const client = deps.client ?? (await connectCassandra(options));
  const owned = deps.client === undefined;
  try {
    if (options.migrateOnStart) await migrateCassandra({ ...options, client }, logger);
  } catch (error) {
    if (owned) await client.shutdown();
    throw error;
  }
  const cql = statements(options.keyspace);
  const writer = createWriter(
    client,
    cql,
    {
      batchRows: options.batchRows,
      concurrency: options.writeConcurrency,
      attempts: options.writeAttempts,
      backoff: defaultBackoff,
    },
    metricsOf(deps.registry, storeMetrics),
  );
  let closed = false;
  const open =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) {
        return Promise.reject(
          new TickflowError("STORE_UNAVAILABLE", "the Cassandra store is closed", { retryable: false }),
        );
      }
      return operation(...args);
    };

  return {
    writeTrades: open(writer.writeTrades),
    writeBars: open(writer.writeBars),
    getBars: open((symbol, windowStarts) => readBarsAt(client, cql, symbol, windowStarts)),
    tradesBetween: open((symbol, from, to) => readTradesBetween(client, cql, symbol, from, to)),
    queryTrades: open(async (query) => {
      const { after, before } = tradeRange(query);
      const slice = { symbol: query.symbol, after, before, sort: query.sort, want: query.limit + 1 };
      const rows = await readTrades(client, cql, slice);
      return toPage(rows, query.limit, (trade) => ({ t: trade.timestamp, id: trade.id }));
    }),
    queryBars: open(async (query) => {
      const { from, to } = barRange(query);
      const slice = { symbol: query.symbol, from, to, sort: query.sort, want: query.limit + 1 };
      return toPage(await readBars(client, cql, slice), query.limit, (bar) => ({ t: bar.t }));
    }),
    symbols: open(() => readSymbols(client, cql)),
    // Writes of other processes leave no trace a reader could check cheaply.
    readVersion: () => undefined,
    health: async () => {
      if (closed) return { ok: false, detail: "closed" };
      try {
        await client.execute(cql.probe);
        const hosts = client.getState().getConnectedHosts().length;
        return { ok: true, detail: `connected to ${hosts} host(s) in ${options.localDc}` };
      } catch (error) {
        return { ok: false, detail: toStoreError(error, "health probe").message };
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (owned) await client.shutdown();
    },
  };
};
