import { afterEach, expect, test } from "bun:test";
import { LiveStats } from "../../../src/modules/api/stream/live-stats.ts";
import { ingestMetrics } from "../../../src/modules/ingest/metrics.ts";
import { metricsOf } from "../../../src/runtime/metrics/index.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, trade, tradeEvent } from "./support.ts";

const fixtures: ApiFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.cleanup()));
});

/** An event of a trade of `symbol` at `t`, accepted by ingest at `processedAt`. */
const tradeAt = (symbol: string, t: number, processedAt = t) =>
  tradeEvent({ ...trade(symbol, t, 1), processed_at: processedAt });

test("the rate averages complete seconds of the last ten, and forgets older ones", () => {
  let now = 100_000;
  const stats = new LiveStats(() => now);
  expect(stats.tradesPerSecond()).toBe(0);
  stats.observe([tradeAt("A", 1), tradeAt("A", 2)]);
  now += 500;
  stats.observe([tradeAt("B", 3), { kind: "bar", bar: minuteBarsOf([trade("A", 3, 1)])[0]! }]);
  // The second in progress does not count yet.
  expect(stats.tradesPerSecond()).toBe(0);
  now = 101_000;
  expect(stats.tradesPerSecond()).toBe(3);
  stats.observe([tradeAt("A", 4)]);
  now = 103_000;
  expect(stats.tradesPerSecond()).toBe(4 / 3);
  now = 130_000;
  expect(stats.tradesPerSecond()).toBe(0);
});

test("each symbol keeps its latest trade by event time and the lag behind ingest", () => {
  const now = 50_000;
  const stats = new LiveStats(() => now);
  stats.observe([tradeAt("B", 40_000, 49_900), tradeAt("A", 45_000), tradeAt("B", 39_000, 49_990)]);
  expect(stats.symbols()).toEqual([
    { symbol: "A", lastTradeAt: 45_000, lagMs: 5_000 },
    { symbol: "B", lastTradeAt: 40_000, lagMs: 100 },
  ]);
});

test("/v1/status reports what the stream carried; ingest state only where this process runs ingest", async () => {
  const fixture = createApiFixture({}, () => 1_700_000_060_000);
  fixtures.push(fixture);
  const empty = await fixture.json("/v1/status");
  expect(empty.status).toBe(200);
  expect(empty.body).toEqual({
    now: 1_700_000_060_000,
    trades_per_second: 0,
    stream_clients: 0,
    websocket: null,
    consumer_lag: null,
    symbols: [],
  });

  fixture.hub.publish([tradeAt("AAPL", 1_700_000_055_000, Date.now())]);
  const connected = metricsOf(fixture.registry, ingestMetrics).connected;
  connected.set({ connection: "simulator-0" }, 1);
  connected.set({ connection: "simulator-1" }, 0);
  const { body } = await fixture.json("/v1/status");
  expect(body.websocket).toEqual({ connected: 1, connections: 2 });
  expect(body.symbols).toEqual([
    { symbol: "AAPL", last_trade_at: 1_700_000_055_000, age_ms: 5_000, lag_ms: expect.any(Number) },
  ]);
});

test("/v1/status is in the spec and behind the token like every /v1 route", async () => {
  const fixture = createApiFixture({ token: "status-token" });
  fixtures.push(fixture);
  expect((await fixture.get("/v1/status")).status).toBe(401);
  const ok = await fixture.get("/v1/status", { headers: { authorization: "Bearer status-token" } });
  expect(ok.status).toBe(200);
  const spec = await fixture.json<{ paths: Record<string, unknown> }>("/openapi.json");
  expect(Object.keys(spec.body.paths)).toContain("/v1/status");
});
