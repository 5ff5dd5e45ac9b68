import { afterAll, expect, test } from "bun:test";
import { type Simulator, startSimulator } from "../../src/modules/simulator/index.ts";
import { loadConfig } from "../../src/runtime/config/index.ts";
import { silentLogger } from "../../src/runtime/logger.ts";
import { type KafkaBroker, startKafkaBroker, uniquePrefix } from "../support/kafka.ts";
import { pollUntil, RoleSplit } from "../support/role-split.ts";
import { storeCounts } from "../support/sqlite-contents.ts";
import { counter, readiness } from "./support.ts";

const RATE = 1_000;
const OUTAGE_MS = 20_000;
/** Ingest's bound: well above what 20 s at RATE plus the reconnection need, so nothing is dropped. */
const MAX_PENDING = 100_000;
/**
 * Writer lag, in records, that counts as "risen". The lag counts records published and not yet
 * committed by the writer, so while ingest republishes the outage's backlog it measures how far the
 * writer trails the republishing, not the backlog itself. Seen in runs of this test: at most 15 before
 * the outage and 48 once recovered; peaks of 286 to 1,194 during the recovery. 200 sat inside that
 * spread and failed once under a loaded CI run.
 */
const LAG_RISEN = 100;

let broker: KafkaBroker | undefined;
let simulator: Simulator | undefined;
let split: RoleSplit | undefined;
afterAll(async () => {
  await split?.stop();
  await simulator?.handle.stop();
  await broker?.destroy();
}, 60_000);

test("the broker stopped for 20 s under a live feed: ingest buffers within its bound, readiness and lag follow, nothing is lost", async () => {
  broker = await startKafkaBroker();
  const config = loadConfig([], { SIMULATOR_PORT: "0", SIMULATOR_RATE: String(RATE) }).config;
  simulator = await startSimulator(config.simulator, silentLogger());
  split = new RoleSplit({
    brokers: broker.brokers,
    prefix: uniquePrefix("outage"),
    env: {
      KAFKA_LAG_INTERVAL_MS: "100",
      INGEST_MAX_PENDING: String(MAX_PENDING),
      // Kafka counts lag in records, and a record carries a symbol's messages of one request
      // (docs/adr/0009): small requests spread the outage's backlog over enough records to show.
      KAFKA_REQUEST_MAX_BYTES: "4096",
    },
    keepLogsIn: process.env.TICKFLOW_TEST_LOGS,
  });
  const consumers = await (await split.start("processor,writer")).url();
  const ingest = await (
    await split.start("ingest", {
      SOURCE: "finnhub",
      FINNHUB_API_KEY: simulator.token,
      FINNHUB_WS_URL: simulator.url,
    })
  ).url();
  const dbPath = split.dbPath;
  const logs = () => split?.logs() ?? "";
  const writerLag = () => counter(consumers, "kafka_consumer_lag", 'tickflow-writer"');
  const transportOk = async (base: string) => (await readiness(base)).body.dependencies.transport?.ok;
  await pollUntil(async () => storeCounts(dbPath).trades >= 2 * RATE, 60_000, logs);

  // Samples every 100 ms: this cadence is the measurement, not a synchronisation.
  const samples: { phase: string; pending: number; buffered: number; writerLag: number }[] = [];
  let phase = "before";
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (split.processes.values().some((child) => !child.running)) {
        throw new Error(`a process exited:\n${logs()}`);
      }
      const [pending, buffered, lag] = await Promise.all([
        counter(ingest, "ingest_pending_messages"),
        counter(ingest, "kafka_send_buffer_messages"),
        writerLag(),
      ]);
      samples.push({ phase, pending, buffered, writerLag: lag });
      await Bun.sleep(100);
    }
  })();
  const peak = (field: "pending" | "buffered" | "writerLag", of = "") =>
    Math.max(0, ...samples.filter((s) => !of || s.phase === of).map((s) => s[field]));

  let sent = 0;
  try {
    const stopped = Date.now();
    await broker.stop();
    phase = "down";
    await pollUntil(
      async () => (await transportOk(ingest)) === false,
      30_000,
      () => "ingest readiness down",
    );
    expect((await readiness(ingest)).status).toBe(503);
    // The outage itself: the broker stays away for OUTAGE_MS.
    await Bun.sleep(Math.max(0, stopped + OUTAGE_MS - Date.now()));
    await broker.start();
    phase = "up";
    await pollUntil(
      async () => (await transportOk(ingest)) === true,
      60_000,
      () => `ingest ready\n${logs()}`,
    );
    await pollUntil(
      async () => samples.some((s) => s.phase === "up" && s.writerLag >= LAG_RISEN),
      60_000,
      () => `writer lag to rise: ${JSON.stringify(samples.slice(-5))}\n${logs()}`,
    );
    await pollUntil(
      async () => (samples.at(-1)?.writerLag ?? Infinity) < LAG_RISEN,
      60_000,
      () => `writer lag to fall back: ${JSON.stringify(samples.slice(-5))}\n${logs()}`,
    );

    simulator.stopTrades();
    sent = simulator.tradesSent;
    await pollUntil(
      async () => storeCounts(dbPath).trades >= sent,
      120_000,
      () => `${sent} trades stored, have ${storeCounts(dbPath).trades}\n${logs()}`,
    );
  } finally {
    sampling = false;
  }
  await sampler;

  const lagPeak = peak("writerLag", "up");
  console.info(
    `outage: ingest held up to ${peak("pending")} messages (bound ${MAX_PENDING}), writer lag peaked at ${lagPeak}; ${sent} trades sent`,
  );
  // The rise meant something: before the outage the lag stayed below it.
  expect(peak("writerLag", "before")).toBeLessThan(LAG_RISEN);
  expect(storeCounts(dbPath).trades).toBe(sent);
  expect(await counter(ingest, "ingest_dropped_trades_total")).toBe(0);
  // The simulator never repeats a frame unasked, so ingest had nothing to suppress.
  expect(await counter(ingest, "duplicate_frames_total")).toBe(0);
  // Ingest held what the outage left unpublished (most of 20 s of trades at once), within its bound.
  expect(peak("pending", "down")).toBeGreaterThan((RATE * OUTAGE_MS) / 1_000 / 2);
  expect(Math.max(peak("pending"), peak("buffered"))).toBeLessThanOrEqual(MAX_PENDING);
  expect(await counter(ingest, "ingest_pending_messages")).toBe(0);
}, 300_000);
