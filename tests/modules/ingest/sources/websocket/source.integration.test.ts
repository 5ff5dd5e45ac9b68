import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeadLetter, type Trade, topics } from "../../../../../src/modules/contracts/index.ts";
import { type IngestSource, startIngest } from "../../../../../src/modules/ingest/index.ts";
import type { ModuleHandle } from "../../../../../src/runtime/lifecycle.ts";
import { createRegistry } from "../../../../../src/runtime/metrics/index.ts";
import type { Transport } from "../../../../../src/runtime/transport/index.ts";
import { createMemoryTransport } from "../../../../../src/runtime/transport/memory.ts";
import { launch, stopAll } from "../../../simulator/support.ts";
import { captureLogger, collect, ingestOptions, metricValue, waitFor } from "../../support.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopAll();
});

type Env = Record<string, string>;

interface Setup {
  simulator?: Env;
  /** Ingest variables, possibly derived from the running simulator. */
  ingest?: Env | ((simulator: { url: string; token: string }) => Env);
  /** Defaults to the simulator with its own url and token. */
  source?: IngestSource;
}

/** The simulator, ingest on the memory transport, and collectors on the trades and dead-letter topics. */
const start = async (setup: Setup = {}) => {
  const simulator = await launch({ SIMULATOR_RATE: "2000", ...setup.simulator });
  const transport: Transport = createMemoryTransport({ partitions: 2, capacity: 50_000 });
  cleanups.push(() => transport.close());
  const registry = createRegistry();
  const log = captureLogger();
  const trades = await collect<Trade>(transport, topics.trades);
  const letters = await collect<DeadLetter>(transport, topics.deadLetters);
  const handle: ModuleHandle = await startIngest({
    options: ingestOptions({
      SYMBOLS: "AAPL,MSFT,IBM",
      FINNHUB_RECONNECT_INITIAL_MS: "20",
      FINNHUB_RECONNECT_MAX_MS: "200",
      ...(typeof setup.ingest === "function" ? setup.ingest(simulator) : setup.ingest),
    }),
    source: setup.source ?? { kind: "simulator", url: simulator.url, token: simulator.token },
    logger: log.logger,
    registry,
    transport,
  });
  cleanups.push(() => handle.stop());
  const metric = (name: string, labels?: Record<string, string>) => metricValue(registry, name, labels);
  /** Symbols of the trades that arrived after `since` (epoch ms): proof of a live subscription. */
  const symbolsSince = (since: number) =>
    new Set(trades.values().flatMap((trade) => (trade.processed_at > since ? [trade.symbol] : [])));
  return { simulator, transport, registry, log, trades, letters, handle, metric, symbolsSince };
};

test("streams validated trades of every symbol, with one connection open", async () => {
  const { metric, symbolsSince, trades } = await start();
  await waitFor(() => symbolsSince(0).size === 3, "trades of the 3 symbols");
  expect(await metric("websocket_connected", { connection: "0" })).toBe(1);
  expect(trades.values().every((trade) => trade.source === "simulator")).toBe(true);
  expect(await metric("finnhub_messages_received_total")).toBeGreaterThan(0);
});

test("reconnects after a server-side close and resubscribes every symbol", async () => {
  const { metric, symbolsSince, log } = await start({ simulator: { SIMULATOR_CLOSE_EVERY_SEC: "0.3" } });
  await waitFor(
    async () => (await metric("websocket_reconnects_total", { reason: "closed" })) >= 1,
    "a reconnect",
  );
  const reconnectedAt = Date.now();
  await waitFor(() => symbolsSince(reconnectedAt).size === 3, "all 3 symbols after the reconnect");
  expect(log.messages().some((msg) => msg.includes("server closed the connection"))).toBe(true);
});

test("an unreachable server is retried with backoff until it comes up", async () => {
  const gone = await launch();
  const port = new URL(gone.url).port;
  await gone.handle.stop();
  const { metric, symbolsSince, log } = await start({
    ingest: { FINNHUB_API_KEY: "sandbox", FINNHUB_WS_URL: `ws://127.0.0.1:${port}` },
    source: { kind: "finnhub" },
  });
  await waitFor(
    async () => (await metric("websocket_reconnects_total", { reason: "error" })) >= 2,
    "2 failed attempts",
  );
  expect(log.messages().some((msg) => msg.includes("connection failed"))).toBe(true);
  await launch({ SIMULATOR_PORT: port, SIMULATOR_RATE: "2000" });
  await waitFor(() => symbolsSince(0).size === 3, "trades once the server is up");
});

test("the silence watchdog reconnects a stalled connection", async () => {
  const { metric, symbolsSince, log } = await start({
    simulator: { SIMULATOR_STALL_AFTER_SEC: "0.3" },
    ingest: { FINNHUB_SILENCE_TIMEOUT_MS: "150" },
  });
  await waitFor(
    async () => (await metric("websocket_reconnects_total", { reason: "silence" })) >= 1,
    "the watchdog",
  );
  const reconnectedAt = Date.now();
  await waitFor(() => symbolsSince(reconnectedAt).size === 3, "trades after the reconnect");
  expect(log.messages().some((msg) => msg.includes("no frame or ping for 150 ms"))).toBe(true);
});

test("malformed frames are counted and dead-lettered while the stream continues", async () => {
  const { metric, letters, symbolsSince } = await start({ simulator: { SIMULATOR_MALFORMED_RATIO: "0.2" } });
  await waitFor(
    async () => (await metric("validation_errors_total", { reason: "not_json" })) >= 1,
    "a broken frame",
  );
  const sawBrokenAt = Date.now();
  await waitFor(() => symbolsSince(sawBrokenAt).size === 3, "trades after the broken frame");
  await waitFor(() => letters.values().some((letter) => letter.reason !== "not_json"), "a rejected trade");
  const brokenFrame = letters.values().find((letter) => letter.reason === "not_json")!;
  expect(brokenFrame).toMatchObject({ stage: "ingest", source: "simulator" });
  expect(() => JSON.parse(brokenFrame.payload)).toThrow();
  expect(await metric("websocket_reconnects_total")).toBe(0);
});

test("a rejected key stops ingest with a clear message that never shows the key", async () => {
  const key = "k3y-that-is-not-valid";
  const { handle, log } = await start({
    ingest: (simulator) => ({ FINNHUB_API_KEY: key, FINNHUB_WS_URL: simulator.url }),
    source: { kind: "finnhub" },
  });
  const failure = await handle.done.then(
    () => undefined,
    (error: unknown) => error as Error & { code: string },
  );
  expect(failure?.code).toBe("FINNHUB_AUTH_REJECTED");
  expect(failure?.message).toContain("rejected API key #1 of FINNHUB_API_KEY (HTTP 401)");
  expect(failure?.message).not.toContain(key);
  expect(JSON.stringify(log.lines)).not.toContain(key);
});

test("the symbol-limit error is logged clearly and counted, and the other symbols keep flowing", async () => {
  const { metric, log, symbolsSince } = await start({ simulator: { SIMULATOR_SYMBOL_LIMIT: "2" } });
  await waitFor(
    async () => (await metric("finnhub_errors_total", { kind: "symbol_limit" })) >= 1,
    "the error",
  );
  const errorLine = log.lines.find(
    (line) => line.level === 50 && String(line.msg).includes("refused a subscription"),
  );
  expect(String(errorLine?.msg)).toContain("Subscribing to too many symbols");
  const erroredAt = Date.now();
  await waitFor(() => symbolsSince(erroredAt).size === 2, "the 2 accepted symbols");
});

test("identical frames sent twice are suppressed and counted, so no trade is published twice", async () => {
  const { metric, trades } = await start({ simulator: { SIMULATOR_DUPLICATE_FRAME_RATIO: "1" } });
  await waitFor(async () => (await metric("duplicate_frames_total")) >= 20, "20 suppressed frames");
  const ids = trades.values().map((trade) => trade.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test("several keys shard the symbols over one connection per key", async () => {
  const { metric, symbolsSince } = await start({
    ingest: (simulator) => ({
      FINNHUB_API_KEY: `${simulator.token},${simulator.token}`,
      FINNHUB_WS_URL: simulator.url,
    }),
    source: { kind: "finnhub" },
  });
  await waitFor(() => symbolsSince(0).size === 3, "trades of the 3 symbols");
  expect(await metric("websocket_connected", { connection: "0" })).toBe(1);
  expect(await metric("websocket_connected", { connection: "1" })).toBe(1);
});

test("--record appends every raw frame to an NDJSON file", async () => {
  const folder = mkdtempSync(join(tmpdir(), "tickflow-record-"));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, "nested", "frames.ndjson");
  const { metric, trades, handle } = await start({
    simulator: { SIMULATOR_PING_INTERVAL_MS: "20" },
    ingest: { RECORD_PATH: path },
  });
  await waitFor(() => trades.received.length >= 200, "200 trades");
  await handle.stop();
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  expect(lines).toHaveLength(await metric("finnhub_messages_received_total"));
  const frames = lines.map((line) => JSON.parse(line) as { type: string });
  expect(frames.some((frame) => frame.type === "ping")).toBe(true);
  expect(frames.some((frame) => frame.type === "trade")).toBe(true);
});
