/**
 * The SQLite write connection, in a worker thread: inserts and commits (and their checkpoints) run
 * beside the event loop instead of on it. Requests are handled one at a time in arrival order; each is
 * answered once committed.
 */
import type { Database } from "bun:sqlite";
import type { Bar } from "../../../modules/contracts/index.ts";
import { openSqlite } from "./connection.ts";
import { type FailureReport, reportOf } from "./errors.ts";
import type { PackedTrades } from "./packed-trades.ts";
import { SqliteWriter } from "./writes.ts";

export type WriteRequest =
  | { id: number; op: "open"; path: string }
  /** Trades, then bars (as JSON), in one transaction. */
  | { id: number; op: "write"; trades?: PackedTrades; bars?: string }
  | { id: number; op: "probe" | "close" };

export interface WriteReply {
  id: number;
  failure?: FailureReport;
}

declare const self: Worker;

let db: Database | undefined;
let writer: SqliteWriter | undefined;
let probe: (() => unknown) | undefined;

/**
 * Checkpoint every 10,000 WAL pages (40 MB) rather than every 1,000: a page changed by many commits is
 * copied into the database once per checkpoint, not once per few commits. With thousands of symbols a
 * commit dirties a page per symbol, and inserts cost about a quarter less CPU (docs/adr/0003).
 */
const CHECKPOINT_PAGES = 10_000;

/**
 * The pages a commit changes stay in the OS page cache and are read back from it cheaply: over 5,000
 * symbols, commits of 15,000 trades cost the same CPU with 8 MiB of cache as with 32 or 128 MiB.
 */
const CACHE_BYTES = 8 * 2 ** 20;

const open = (path: string) => {
  db = openSqlite(path, { checkpointPages: CHECKPOINT_PAGES, cacheBytes: CACHE_BYTES });
  const connection = db;
  writer = new SqliteWriter(connection);
  // Taking the write lock and reading a table proves the file is there, readable and not locked by
  // another writer.
  probe = connection.transaction(() =>
    connection.query("SELECT 1 FROM trade_aggregates LIMIT 1").get(),
  ).immediate;
};

const opened = () => {
  if (!writer || !probe) throw new Error("the write connection is not open");
  return { writer, probe };
};

const handle = (request: WriteRequest) => {
  switch (request.op) {
    case "open":
      return open(request.path);
    case "write":
      return opened().writer.write(request.trades, request.bars ? (JSON.parse(request.bars) as Bar[]) : []);
    case "probe":
      return opened().probe();
    case "close":
      return db?.close();
  }
};

self.onmessage = (event: MessageEvent<WriteRequest>) => {
  const { id } = event.data;
  let reply: WriteReply;
  try {
    handle(event.data);
    reply = { id };
  } catch (error) {
    reply = { id, failure: reportOf(error) };
  }
  self.postMessage(reply);
};
