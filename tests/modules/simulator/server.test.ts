import { afterEach, expect, test } from "bun:test";
import { decodeFinnhubFrame } from "../../../src/modules/ingest/index.ts";
import { waitFor } from "../ingest/support.ts";
import { connect, launch, stopAll } from "./support.ts";

afterEach(stopAll);

test("a wrong token is refused with HTTP 401 before any WebSocket opens", async () => {
  const simulator = await launch({ SIMULATOR_TOKEN: "right" });
  const response = await fetch(`${simulator.url.replace("ws://", "http://")}/?token=wrong`);
  expect(response.status).toBe(401);
  await expect(connect({ ...simulator, token: "wrong" })).rejects.toThrow("connection failed");
});

test("sends trades only for subscribed symbols, in batches of several trades and symbols", async () => {
  const simulator = await launch({ SIMULATOR_RATE: "5000", SIMULATOR_TRADES_PER_FRAME: "10" });
  const client = await connect(simulator, ["AAPL", "MSFT", "BINANCE:BTCUSDT"]);
  await waitFor(() => client.trades().length >= 2_000, "2,000 trades");
  client.close();
  const frames = client.parsed().filter((frame) => frame.type === "trade");
  expect(new Set(client.trades().map((trade) => trade.s))).toEqual(
    new Set(["AAPL", "MSFT", "BINANCE:BTCUSDT"]),
  );
  expect(
    frames.some((frame) => frame.data!.length > 1 && new Set(frame.data!.map((t) => t.s)).size > 1),
  ).toBe(true);
  expect(Math.max(...frames.map((frame) => frame.data!.length))).toBeLessThanOrEqual(11);
  for (const text of client.frames) {
    expect(decodeFinnhubFrame(text, { source: "t", now: 0, seq: 0 }).rejections).toEqual([]);
  }
});

test("streams same-millisecond trades and exact repeats, as real tapes do", async () => {
  const simulator = await launch({ SIMULATOR_RATE: "5000" });
  const client = await connect(simulator, ["IBM"]);
  await waitFor(() => client.trades().length >= 2_000, "2,000 trades");
  client.close();
  const trades = client.trades();
  const keys = trades.map((trade) => `${trade.t}`);
  const exact = trades.map((trade) => JSON.stringify(trade));
  expect(new Set(keys).size).toBeLessThan(keys.length);
  expect(new Set(exact).size).toBeLessThan(exact.length);
});

test("unsubscribe stops a symbol", async () => {
  const simulator = await launch({ SIMULATOR_RATE: "2000" });
  const client = await connect(simulator, ["AAPL", "MSFT"]);
  await waitFor(() => client.trades().some((trade) => trade.s === "MSFT"), "MSFT trades");
  client.ws.send(JSON.stringify({ type: "unsubscribe", symbol: "MSFT" }));
  // The unsubscribe is processed in order with a later subscribe, which marks the moment it took effect.
  client.ws.send(JSON.stringify({ type: "subscribe", symbol: "IBM" }));
  await waitFor(() => client.trades().some((trade) => trade.s === "IBM"), "IBM trades");
  const firstIbm = client.trades().findIndex((trade) => trade.s === "IBM");
  await waitFor(() => client.trades().length > firstIbm + 500, "more trades");
  expect(
    client
      .trades()
      .slice(firstIbm)
      .some((trade) => trade.s === "MSFT"),
  ).toBe(false);
});

test("sends periodic pings, even without subscriptions", async () => {
  const simulator = await launch({ SIMULATOR_PING_INTERVAL_MS: "20" });
  const client = await connect(simulator);
  await waitFor(() => client.parsed().filter((frame) => frame.type === "ping").length >= 3, "3 pings");
});

test("answers subscriptions past the limit with Finnhub's error, and keeps streaming the others", async () => {
  const simulator = await launch({ SIMULATOR_SYMBOL_LIMIT: "2", SIMULATOR_RATE: "2000" });
  const client = await connect(simulator, ["AAPL", "MSFT", "IBM"]);
  await waitFor(() => client.parsed().some((frame) => frame.type === "error"), "the error frame");
  expect(client.parsed().find((frame) => frame.type === "error")!.msg).toBe(
    "Subscribing to too many symbols",
  );
  await waitFor(() => client.trades().length >= 200, "trades of the accepted symbols");
  expect(new Set(client.trades().map((trade) => trade.s))).toEqual(new Set(["AAPL", "MSFT"]));
});

test("as fast as possible (rate 0) still lets pings through between batches", async () => {
  const simulator = await launch({ SIMULATOR_RATE: "0", SIMULATOR_PING_INTERVAL_MS: "20" });
  const client = await connect(simulator, ["AAPL"]);
  await waitFor(() => client.trades().length >= 50_000, "50,000 trades");
  await waitFor(() => client.parsed().some((frame) => frame.type === "ping"), "a ping between the batches");
});

test("counts the trades it sent to every client; after stopTrades only pings follow", async () => {
  const simulator = await launch({ SIMULATOR_RATE: "5000", SIMULATOR_PING_INTERVAL_MS: "50" });
  const a = await connect(simulator, ["AAPL", "MSFT"]);
  const b = await connect(simulator, ["MSFT"]);
  await waitFor(() => a.trades().length >= 500 && b.trades().length > 0, "trades for both clients");
  simulator.stopTrades();
  const received = () => a.trades().length + b.trades().length;
  await waitFor(() => received() === simulator.tradesSent, "every trade sent to arrive");
  const pings = () => a.parsed().filter((frame) => frame.type === "ping").length;
  const before = pings();
  await waitFor(() => pings() > before, "a ping after the stop");
  expect(received()).toBe(simulator.tradesSent);
});
