import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "cassandra-driver";
import type { Bar, Trade } from "../../src/modules/contracts/index.ts";
import { loadConfig } from "../../src/runtime/config/index.ts";
import { silentLogger } from "../../src/runtime/logger.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { connectCassandra, createCassandraStore } from "../../src/runtime/store/cassandra/index.ts";
import type { Page, RangeQuery } from "../../src/runtime/store/index.ts";
import { type CassandraNode, launchCassandraNode, uniqueKeyspace } from "../support/cassandra.ts";
import { startTickflowProcess, type TickflowProcess } from "../support/dev-process.ts";
import { closeTo, loadGoldenBars } from "../support/golden.ts";
import { counter, readiness, waitFor } from "./support.ts";

const golden = join(import.meta.dir, "../fixtures/aig-ibm-20131007.ndjson");
const DAY = { from: Date.UTC(2013, 9, 7), to: Date.UTC(2013, 9, 8) };
const TOTAL = 49_644;
const OUTAGE_MS = 30_000;
const PARTITIONS = 6;
const CHANNEL_CAPACITY = 500;
const WRITER_BATCH = 5_000;
/** Trades the process may hold while the store is away: both topics full, plus the writer's batch. */
const HELD_BOUND = 2 * PARTITIONS * CHANNEL_CAPACITY + WRITER_BATCH;

const keyspace = uniqueKeyspace("outage");
let dir: string;
let node: CassandraNode;
let replay: TickflowProcess;

/** What the test saw while the node was down. */
const seen = {
  storeDownDetail: "",
  /** Most attempts of one store operation the writer logged while retrying. */
  writerAttempts: 0,
  heldTrades: 0,
  ingestedWhenHeld: 0,
  ingestedAtRestart: 0,
  pausedForMs: 0,
  readyAgain: false,
  exitCode: -1,
};

/** Stops the node mid-stream for OUTAGE_MS, restarts it and records what the process showed meanwhile. */
const outage = async (url: string) => {
  void replay.exited.then((code) => {
    seen.exitCode = code;
  });

  await waitFor(
    "10,000 trades stored",
    120_000,
    async () => (await counter(url, "trades_stored_total")) >= 10_000,
  );
  const stoppedAt = Date.now();
  await node.stop();

  await waitFor("/readyz to report the store down", 30_000, async () => {
    const { status, body } = await readiness(url);
    seen.storeDownDetail = body.dependencies.store?.detail ?? "";
    return status === 503 && body.dependencies.store?.ok === false;
  });
  // The source is held: no trade is published for 10 s in a row while the file still has trades to give.
  let last = -1;
  let stableSince = Date.now();
  await waitFor("the replay to be held by backpressure", 25_000, async () => {
    const ingested = await counter(url, "ingest_trades_total");
    if (ingested !== last) [last, stableSince] = [ingested, Date.now()];
    return ingested < TOTAL && Date.now() - stableSince >= 10_000;
  });
  seen.ingestedWhenHeld = last;
  seen.heldTrades = last - (await counter(url, "trades_stored_total"));
  await waitFor(
    "the outage to last 30 s",
    OUTAGE_MS + 5_000,
    async () => Date.now() - stoppedAt >= OUTAGE_MS,
  );
  seen.ingestedAtRestart = await counter(url, "ingest_trades_total");
  seen.pausedForMs = Date.now() - stableSince;

  await node.start();
  await waitFor("/readyz to report the store up again", 60_000, async () => {
    if ((await readiness(url)).status === 200) seen.readyAgain = true;
    // The replay may finish and exit before a poll sees it ready.
    return seen.readyAgain || seen.exitCode !== -1;
  });
  await waitFor("the replay to exit", 180_000, async () => seen.exitCode !== -1);
  for (const line of replay.log) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; attempts?: number };
    if (/^store .+ failed$/.test(entry.msg ?? ""))
      seen.writerAttempts = Math.max(seen.writerAttempts, entry.attempts ?? 0);
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tickflow-cassandra-outage-"));
  node = await launchCassandraNode({ dir: join(dir, "node"), heap: "1g", readyTimeoutMs: 240_000 });
  replay = await startTickflowProcess({
    args: ["replay", golden],
    env: {
      STORE: "cassandra",
      CASSANDRA_CONTACT_POINTS: node.contactPoints.join(","),
      CASSANDRA_LOCAL_DC: node.localDc,
      CASSANDRA_KEYSPACE: keyspace,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      // About a minute of paced replay, so the node goes away mid-stream.
      REPLAY_SPEED: "1000",
      PARTITIONS: `${PARTITIONS}`,
      MEMORY_CHANNEL_CAPACITY: `${CHANNEL_CAPACITY}`,
      INGEST_MAX_PENDING: "1000",
      WRITER_BATCH_SIZE: `${WRITER_BATCH}`,
      WRITER_RETRY_MAX_MS: "1000",
      // No wall-clock bar closing while the input is held: the final bars match the golden ones exactly.
      BAR_IDLE_TIMEOUT_MS: "600000",
    },
    ready: /http server listening on \S+:(\d+)/,
    toUrl: (port) => `http://127.0.0.1:${port}`,
    timeoutMs: 60_000,
  });
  try {
    await outage(replay.url);
  } catch (error) {
    // Whatever timed out, the replay's own log says why.
    throw new Error(`${error instanceof Error ? error.message : error}\n${replay.log.slice(-40).join("\n")}`);
  }
}, 600_000);

afterAll(async () => {
  await replay?.stop();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe("Cassandra stopped for 30 s in the middle of a replay, then restarted", () => {
  test("/readyz reports the store down during the outage and up after it", () => {
    expect(seen.storeDownDetail.length).toBeGreaterThan(0);
    expect(seen.readyAgain).toBe(true);
  });

  test("the writer retries the store until it is back instead of giving up", () => {
    // Logged on the 1st, 2nd, 4th, 8th... failure of one operation: at least 8 attempts over the outage.
    expect(seen.writerAttempts).toBeGreaterThanOrEqual(8);
    expect(seen.exitCode).toBe(0);
  });

  test("backpressure holds the replay source: nothing published for the rest of the outage", () => {
    expect(seen.ingestedAtRestart).toBe(seen.ingestedWhenHeld);
    expect(seen.ingestedAtRestart).toBeLessThan(TOTAL);
    expect(seen.pausedForMs).toBeGreaterThanOrEqual(10_000);
  });

  test("memory stays bounded: the process holds at most the channels' capacity of unstored trades", () => {
    expect(seen.heldTrades).toBeGreaterThan(0);
    expect(seen.heldTrades).toBeLessThanOrEqual(HELD_BOUND);
  });

  test("nothing is lost: every trade and every final bar is stored", async () => {
    const client: Client = await connectCassandra(node);
    const options = loadConfig([], {
      CASSANDRA_CONTACT_POINTS: node.contactPoints.join(","),
      CASSANDRA_KEYSPACE: keyspace,
      MIGRATE_ON_START: "false",
    }).config.cassandra;
    const store = await createCassandraStore({
      options,
      logger: silentLogger(),
      registry: createRegistry(),
      client,
    });
    try {
      const trades: Trade[] = [];
      const bars: Bar[] = [];
      for (const symbol of ["AIG", "IBM"]) {
        const query = { symbol, ...DAY, limit: 5_000, sort: "asc" as const };
        trades.push(...(await everyPage(store.queryTrades, query)));
        bars.push(...(await everyPage(store.queryBars, query)));
      }
      expect(trades).toHaveLength(TOTAL);
      expect(new Set(trades.map((trade) => trade.id)).size).toBe(TOTAL);
      const expected = await loadGoldenBars();
      expect(bars).toHaveLength(expected.length);
      const mismatched = bars.filter((bar, index) => {
        const want = expected[index]!;
        return !(
          bar.final &&
          bar.symbol === want.symbol &&
          bar.t === want.t &&
          bar.n === want.n &&
          bar.o === want.o &&
          bar.c === want.c &&
          bar.h === want.h &&
          bar.l === want.l &&
          closeTo(bar.v, want.v) &&
          closeTo(bar.vw, want.vw)
        );
      });
      expect(mismatched).toEqual([]);
    } finally {
      await store.close();
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    }
  });
});

const everyPage = async <T>(read: (query: RangeQuery) => Promise<Page<T>>, query: RangeQuery) => {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read(cursor === null ? query : { ...query, cursor });
    rows.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows;
};
