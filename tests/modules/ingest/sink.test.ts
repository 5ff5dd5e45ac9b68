import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  type DeadLetter,
  type EndOfInput,
  type Trade,
  topics,
} from "../../../src/modules/contracts/index.ts";
import { type DecodeContext, decodeFinnhubFrame, ingestMetrics } from "../../../src/modules/ingest/index.ts";
import { TradeSink } from "../../../src/modules/ingest/sink.ts";
import { createRegistry, metricsOf } from "../../../src/runtime/metrics/index.ts";
import type { Transport } from "../../../src/runtime/transport/index.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { captureLogger, collect, metricValue, waitFor } from "./support.ts";

const origin = { source: "finnhub", location: "finnhub connection 0" };
let ctx: DecodeContext;
let transports: Transport[] = [];

const frame = (...data: unknown[]) => decodeFinnhubFrame(JSON.stringify({ type: "trade", data }), ctx);
const trade = (i: number) => ({ s: i % 2 ? "AAPL" : "IBM", p: 10 + i, t: 1_700_000_000_000 + i, v: 1 });

const setup = (options: {
  partitions?: number;
  capacity?: number;
  maxPending?: number;
  maxPayloadChars?: number;
}) => {
  const transport = createMemoryTransport({
    partitions: options.partitions ?? 2,
    capacity: options.capacity ?? 1_000,
  });
  transports.push(transport);
  const registry = createRegistry();
  const log = captureLogger();
  const failures: unknown[] = [];
  const sink = new TradeSink({
    transport,
    metrics: metricsOf(registry, ingestMetrics),
    logger: log.logger,
    maxPending: options.maxPending ?? 1_000,
    maxPayloadChars: options.maxPayloadChars ?? 1_000,
    onFailure: (error) => failures.push(error),
  });
  return { transport, registry, sink, log, failures };
};

/** A subscriber of the trades topic that holds every batch until `release()`, counting what it took. */
const holdDeliveries = async (transport: Transport) => {
  const gate = Promise.withResolvers<void>();
  let delivered = 0;
  await transport.subscribe<Trade>(topics.trades, {
    group: "slow",
    onBatch: async (batch) => {
      await gate.promise;
      delivered += batch.messages.length;
    },
  });
  return { release: () => gate.resolve(), delivered: () => delivered };
};

beforeEach(() => {
  ctx = { source: "finnhub", now: 1, seq: 0, idPrefix: undefined };
});

afterEach(async () => {
  await Promise.all(transports.map((transport) => transport.close()));
  transports = [];
});

test("trades are published keyed by symbol and counted", async () => {
  const { transport, sink, registry } = setup({});
  const out = await collect<Trade>(transport, topics.trades);
  sink.offer(frame(trade(1), trade(2), trade(3)), Date.now(), origin);
  await sink.flush();
  await waitFor(() => out.received.length === 3, "3 trades");
  expect(out.received.map((m) => [m.key, m.value.symbol])).toEqual([
    ["AAPL", "AAPL"],
    ["IBM", "IBM"],
    ["AAPL", "AAPL"],
  ]);
  expect(await metricValue(registry, "ingest_trades_total")).toBe(3);
  expect(await metricValue(registry, "last_trade_timestamp_seconds", { symbol: "AAPL" })).toBe(
    1_700_000_000.003,
  );
});

test("a slow transport makes a live source drop trades, counted and logged loudly, never silently", async () => {
  const { transport, sink, registry, log } = setup({ partitions: 1, capacity: 1, maxPending: 5 });
  const held = await holdDeliveries(transport);
  for (let i = 0; i < 10; i++) sink.offer(frame(trade(2 * i), trade(2 * i + 1)), Date.now(), origin);
  const dropped = await metricValue(registry, "ingest_dropped_trades_total");
  expect(dropped).toBeGreaterThan(0);
  // Held: the bound plus at most one frame.
  expect(await metricValue(registry, "ingest_pending_messages")).toBeGreaterThanOrEqual(5);
  expect(await metricValue(registry, "ingest_pending_messages")).toBeLessThanOrEqual(6);
  const warnings = log.lines.filter((line) => line.level === 40).map((line) => String(line.msg));
  expect(warnings.some((msg) => msg.includes("dropped") && msg.includes("ingest_dropped_trades_total"))).toBe(
    true,
  );
  held.release();
  await sink.flush();
  await waitFor(() => held.delivered() === 20 - dropped, "the accepted trades");
  expect(await metricValue(registry, "ingest_trades_total")).toBe(20 - dropped);
  expect(await metricValue(registry, "ingest_pending_messages")).toBe(0);
});

test("a full sink says it accepts nothing, and frames dropped unread are counted as dropped trades", async () => {
  const { transport, sink, registry } = setup({ partitions: 1, capacity: 1, maxPending: 2 });
  const held = await holdDeliveries(transport);
  expect(sink.accepting).toBe(true);
  sink.offer(frame(trade(1), trade(2)), Date.now(), origin);
  expect(sink.accepting).toBe(false);
  sink.dropUnread(7);
  expect(await metricValue(registry, "ingest_dropped_trades_total")).toBe(7);
  held.release();
  await sink.flush();
  expect(sink.accepting).toBe(true);
});

test("a source that can pause waits for room instead of dropping", async () => {
  const { transport, sink, registry } = setup({ partitions: 1, capacity: 1, maxPending: 4 });
  const held = await holdDeliveries(transport);
  let offered = 0;
  const producer = (async () => {
    for (let i = 0; i < 10; i++) {
      await sink.whenReady();
      sink.offer(frame(trade(2 * i), trade(2 * i + 1)), Date.now(), origin);
      offered++;
    }
  })();
  await waitFor(() => offered >= 2, "the first frames");
  await Bun.sleep(20);
  expect(offered).toBeLessThan(10);
  held.release();
  await producer;
  await sink.flush();
  await waitFor(() => held.delivered() === 20, "every trade");
  expect(await metricValue(registry, "ingest_dropped_trades_total")).toBe(0);
});

test("rejections become dead letters with the original payload, counted by reason", async () => {
  const { transport, sink, registry } = setup({ maxPayloadChars: 12 });
  const letters = await collect<DeadLetter>(transport, topics.deadLetters);
  const trades = await collect<Trade>(transport, topics.trades);
  sink.offer(frame(trade(1), { ...trade(2), p: -1 }), 42, origin);
  const broken = `{"type":"trade","data":[`;
  sink.offer(decodeFinnhubFrame(broken, ctx), 43, origin);
  await sink.flush();
  await waitFor(
    () => letters.received.length === 2 && trades.received.length === 1,
    "dead letters and the valid trade",
  );
  const [priceLetter, jsonLetter] = letters.values();
  expect(priceLetter).toMatchObject({ stage: "ingest", reason: "price_invalid", source: "finnhub", at: 42 });
  expect(priceLetter!.message).toContain("finnhub connection 0, frame ");
  expect(priceLetter!.message).toContain("trade 1");
  expect(priceLetter!.payload).toBe(JSON.stringify({ ...trade(2), p: -1 }).slice(0, 12));
  expect(jsonLetter).toMatchObject({ reason: "not_json", payload: broken.slice(0, 12), at: 43 });
  expect(await metricValue(registry, "validation_errors_total", { reason: "price_invalid" })).toBe(1);
  expect(await metricValue(registry, "validation_errors_total", { reason: "not_json" })).toBe(1);
  expect(await metricValue(registry, "dead_letters_total", { stage: "ingest", reason: "not_json" })).toBe(1);
});

test("the end marker reaches every partition, after the trades", async () => {
  const { transport, sink } = setup({ partitions: 3 });
  const out = await collect<Trade | EndOfInput>(transport, topics.trades);
  sink.offer(frame(trade(1)), 1, origin);
  await sink.end("replay");
  await waitFor(() => out.received.length === 4, "trade and 3 markers");
  const markers = out.received.filter((m) => "kind" in m.value);
  expect(markers.map((m) => m.partition).sort()).toEqual([0, 1, 2]);
  expect(markers.every((m) => (m.value as EndOfInput).source === "replay")).toBe(true);
});

test("a transport that refuses to publish fails the sink once", async () => {
  const { transport, sink, failures } = setup({});
  await transport.close();
  sink.offer(frame(trade(1)), 1, origin);
  await expect(sink.flush()).rejects.toThrow("transport is closed");
  await expect(sink.whenReady()).rejects.toThrow("transport is closed");
  expect(failures).toHaveLength(1);
});
