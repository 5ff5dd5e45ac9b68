/**
 * The SQLite write connection, in a worker thread: inserts and commits (and their checkpoints) run
 * beside the event loop instead of on it. Requests are handled one at a time in arrival order: staged
 * writes are inserted into the open transaction at once and answered by the commit that follows them.
 */
import type { Database } from "bun:sqlite";
import type { Bar } from "../../../modules/contracts/index.ts";
import { BusyTime, type WriteActivity } from "./busy-time.ts";
import { openSqlite } from "./connection.ts";
import { type FailureReport, reportOf } from "./errors.ts";
import type { PackedTrades } from "./packed-trades.ts";
import { SqliteWriter } from "./writes.ts";

export type WriteRequest =
  | { id: number; op: "open"; path: string }
  /** Trades, then bars (as JSON), into the open transaction; not answered (the next commit is). */
  | { op: "stage"; trades?: PackedTrades; bars?: string }
  /** Commits what was staged before it; fails if any of it failed. */
  | { id: number; op: "commit" | "probe" | "close" };

export interface WriteReply {
  id: number;
  failure?: FailureReport;
  /** Wall time the thread spent on each activity since it started, seconds, as of this reply. */
  busySeconds: Record<WriteActivity, number>;
}

declare const self: Worker;

let db: Database | undefined;
let writer: SqliteWriter | undefined;
let probe: (() => unknown) | undefined;
let openFailure: unknown;
/**
 * Sent with every reply (a SharedArrayBuffer shared with the worker kept the process from exiting while
 * the worker lived).
 */
const busy = new BusyTime();

/**
 * Checkpoint every 40 MiB of WAL (20,480 pages of 2 KiB) rather than SQLite's 1,000 pages: a page changed
 * by many commits is copied into the database once per checkpoint, not once per few commits. With
 * thousands of symbols a commit dirties a page per symbol, and inserts cost about a quarter less CPU
 * (docs/adr/0003).
 */
const CHECKPOINT_BYTES = 40 * 2 ** 20;

/**
 * The pages a commit changes stay in the OS page cache and are read back from it cheaply: over 5,000
 * symbols, commits of 15,000 trades cost the same CPU with 8 MiB of cache as with 32 or 128 MiB.
 */
const CACHE_BYTES = 8 * 2 ** 20;

const open = (path: string) => {
  try {
    db = openSqlite(path, { checkpointBytes: CHECKPOINT_BYTES, cacheBytes: CACHE_BYTES });
  } catch (error) {
    // Every commit after a failed open reports why it failed.
    openFailure = error;
    throw error;
  }
  const connection = db;
  writer = new SqliteWriter(connection);
  // Taking the write lock and reading a table proves the file is there, readable and not locked by
  // another writer.
  probe = connection.transaction(() =>
    connection.query("SELECT 1 FROM trade_aggregates LIMIT 1").get(),
  ).immediate;
};

const opened = () => {
  if (openFailure !== undefined) throw openFailure;
  if (!writer || !probe) throw new Error("the write connection is not open");
  return { writer, probe };
};

type AnsweredRequest = Exclude<WriteRequest, { op: "stage" }>;

const handle = (request: AnsweredRequest) => {
  switch (request.op) {
    case "open":
      return open(request.path);
    case "commit":
      return busy.timed("commit", () => opened().writer.commit());
    case "probe":
      return opened().probe();
    case "close":
      writer?.rollback();
      return db?.close();
  }
};

self.onmessage = (event: MessageEvent<WriteRequest>) => {
  const request = event.data;
  if (request.op === "stage") {
    // Without a connection there is nothing to stage into; the commit after it reports why.
    busy.timed("insert", () =>
      writer?.stage(request.trades, request.bars ? (JSON.parse(request.bars) as Bar[]) : []),
    );
    return;
  }
  const { id } = request;
  let reply: WriteReply;
  try {
    handle(request);
    reply = { id, busySeconds: busy.seconds };
  } catch (error) {
    reply = { id, failure: reportOf(error), busySeconds: busy.seconds };
  }
  self.postMessage(reply);
};
