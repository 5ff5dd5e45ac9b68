import type { Client } from "cassandra-driver";
import type { Bar, Trade } from "../../../modules/contracts/index.ts";
import { type BackoffPolicy, retry } from "../../retry.ts";
import type { StoreMetrics, StoreWriteKind } from "../metrics.ts";
import type { TradeToStore } from "../types.ts";
import { toStoreError } from "./errors.ts";
import { dayKey, dayOf, monthOf } from "./partitions.ts";
import { RecentTouches } from "./recent-touches.ts";
import { barParams, tradeParams } from "./rows.ts";
import { Semaphore, settleAll } from "./semaphore.ts";
import type { Statements } from "./statements.ts";

export interface CassandraWriteOptions {
  /** Most rows in one unlogged batch; a batch always stays inside one partition. */
  batchRows: number;
  /** Most statements and batches in flight for the whole store. */
  concurrency: number;
  /** Attempts per statement on timeouts and unavailability before the write fails. */
  attempts: number;
  backoff: BackoffPolicy;
}

type Params = unknown[];

/**
 * How often a `bar_months` row is rewritten. Its TTL is a day longer than the bars' (migration 0004), so
 * a row rewritten at most half a day before its month's last bar write outlives every bar it points to.
 */
const MONTH_TOUCH_REFRESH_MS = 12 * 3_600_000;

/** One request: a prepared statement, or an unlogged batch of one statement over one partition. */
interface Request {
  query: string;
  rows: Params[];
}

/** Groups `items` by partition, keeping first-seen order, and cuts each group into batches. */
const partitioned = <T>(items: readonly T[], keyOf: (item: T) => string, batchRows: number) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const batches: T[][] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += batchRows)
      batches.push(group.slice(start, start + batchRows));
  }
  return batches;
};

/** The later of two trades in (timestamp, seq) order. */
const later = (a: Trade, b: Trade) =>
  b.timestamp > a.timestamp || (b.timestamp === a.timestamp && b.seq > a.seq) ? b : a;

/**
 * Idempotent writes: every row is an upsert by its full key, so a retried batch or a redelivered trade
 * rewrites the same cells. Each call resolves once all its requests are acknowledged at the session's
 * consistency (LOCAL_QUORUM).
 */
export const createWriter = (
  client: Client,
  cql: Statements,
  options: CassandraWriteOptions,
  metrics: StoreMetrics,
) => {
  const inFlight = new Semaphore(options.concurrency);
  const monthTouches = new RecentTouches(MONTH_TOUCH_REFRESH_MS);

  const send = (kind: StoreWriteKind, request: Request) => {
    const once = () => {
      const sent =
        request.rows.length === 1
          ? client.execute(request.query, request.rows[0], { prepare: true })
          : client.batch(
              request.rows.map((params) => ({ query: request.query, params })),
              { prepare: true, logged: false },
            );
      return sent.catch((error: unknown) => {
        metrics.writeErrors.inc({ kind });
        throw toStoreError(error, `${kind} write`);
      });
    };
    return inFlight.run(() => retry(once, { maxAttempts: options.attempts, policy: options.backoff }));
  };

  const write = async (kind: StoreWriteKind, requests: Request[]) => {
    const stopTimer = metrics.writeLatency.startTimer({ kind });
    await settleAll(requests.map((request) => send(kind, request)));
    stopTimer();
  };

  const writeTrades = async (trades: readonly TradeToStore[]) => {
    if (trades.length === 0) return;
    const requests: Request[] = [];
    const latestOfDay = new Map<string, Trade>();
    for (const batch of partitioned(
      trades,
      (trade) => `${trade.symbol}\u0000${dayOf(trade.timestamp)}`,
      options.batchRows,
    )) {
      const day = dayOf(batch[0]!.timestamp);
      const key = dayKey(day);
      requests.push({ query: cql.insertTrade, rows: batch.map((trade) => tradeParams(trade, day, key)) });
      const latestKey = `${batch[0]!.symbol}\u0000${day}`;
      latestOfDay.set(latestKey, batch.reduce(later, latestOfDay.get(latestKey) ?? batch[0]!));
    }
    for (const trade of latestOfDay.values()) {
      // Write time = trade time (µs, the seq's last digits breaking ties within a millisecond): the
      // latest trade's price wins however late its batch arrives.
      const writeTime = trade.timestamp * 1000 + (trade.seq % 1000);
      requests.push({
        query: cql.touchDay,
        rows: [[trade.symbol, dayOf(trade.timestamp), trade.price, trade.timestamp, writeTime]],
      });
    }
    await write("trades", requests);
  };

  const writeBars = async (bars: readonly Bar[]) => {
    if (bars.length === 0) return;
    const requests: Request[] = [];
    const months = new Map<string, Params>();
    for (const batch of partitioned(
      bars,
      (bar) => `${bar.symbol}\u0000${monthOf(bar.t)}`,
      options.batchRows,
    )) {
      requests.push({ query: cql.insertBar, rows: batch.map(barParams) });
      const month = monthOf(batch[0]!.t);
      const key = `${batch[0]!.symbol}\u0000${month}`;
      if (!monthTouches.fresh(key)) months.set(key, [batch[0]!.symbol, month]);
    }
    for (const params of months.values()) requests.push({ query: cql.touchMonth, rows: [params] });
    await write("bars", requests);
    monthTouches.written(months.keys());
  };

  return { writeTrades, writeBars };
};
