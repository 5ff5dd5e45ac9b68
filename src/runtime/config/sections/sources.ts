import { z } from "zod";
import { csv, int, nonEmptyCsv, num, option, optionalString } from "../fields.ts";

const defaultSymbols = "AAPL,MSFT,AMZN,NVDA,TSLA,GOOGL,META,BINANCE:BTCUSDT,BINANCE:ETHUSDT,OANDA:EUR_USD";

export const ingest = z.object({
  source: option(z.enum(["auto", "finnhub", "simulator", "replay"]).default("auto"), {
    env: "SOURCE",
    description: "Trade source; auto is finnhub when FINNHUB_API_KEY is set, else the built-in simulator",
  }),
  symbols: option(nonEmptyCsv(defaultSymbols), { env: "SYMBOLS", description: "Symbols to subscribe to" }),
  recordPath: option(optionalString(), {
    env: "RECORD_PATH",
    flag: "record",
    description: "Append every raw WebSocket frame to this NDJSON file",
  }),
  dlqSampleBytes: option(int(64 * 1024, { min: 256 }), {
    env: "DLQ_MAX_PAYLOAD_BYTES",
    description: "Dead letters keep at most this many bytes of the original payload",
  }),
  // Half a second at 300,000 trades/s: a store stall of a few hundred ms (a WAL checkpoint, a full
  // collection) is absorbed instead of dropping trades (docs/BENCHMARKS.md, dev mode).
  maxPendingTrades: option(int(150_000, { min: 1 }), {
    env: "INGEST_MAX_PENDING",
    description:
      "Trades a live source may queue for a slow transport; past this they are dropped and counted (replay waits)",
  }),
});

export const finnhub = z.object({
  apiKeys: option(csv(""), {
    env: "FINNHUB_API_KEY",
    secret: true,
    description: "Finnhub API key(s), comma-separated; several keys shard the symbols across connections",
  }),
  wsUrl: option(z.url().default("wss://ws.finnhub.io"), {
    env: "FINNHUB_WS_URL",
    description: "Finnhub WebSocket endpoint (the token is appended as ?token=)",
  }),
  symbolsPerConnection: option(int(50, { min: 1 }), {
    env: "FINNHUB_SYMBOLS_PER_CONNECTION",
    description: "Most symbols one connection subscribes to",
  }),
  silenceTimeoutMs: option(int(30_000, { min: 100 }), {
    env: "FINNHUB_SILENCE_TIMEOUT_MS",
    description: "Reconnect when neither a trade nor a ping arrived for this long",
  }),
  duplicateFrameWindowMs: option(int(2_000, { min: 0 }), {
    env: "FINNHUB_DUPLICATE_FRAME_WINDOW_MS",
    description: "Identical frames arriving within this interval are suppressed as duplicates",
  }),
  reconnectInitialMs: option(int(500, { min: 1 }), {
    env: "FINNHUB_RECONNECT_INITIAL_MS",
    description: "First reconnect delay; doubles per failed attempt, with jitter",
  }),
  reconnectMaxMs: option(int(30_000, { min: 1 }), {
    env: "FINNHUB_RECONNECT_MAX_MS",
    description: "Longest reconnect delay",
  }),
});

export const simulator = z.object({
  host: option(z.string().default("127.0.0.1"), {
    env: "SIMULATOR_HOST",
    description: "Address the Finnhub simulator binds",
  }),
  port: option(int(0, { max: 65_535 }), {
    env: "SIMULATOR_PORT",
    description: "Port of the Finnhub simulator (0 picks a free one when dev mode embeds it)",
  }),
  token: option(z.string().default("sandbox"), {
    env: "SIMULATOR_TOKEN",
    secret: true,
    description: "Token the simulator accepts",
  }),
  rate: option(num(200, { min: 0 }), {
    env: "SIMULATOR_RATE",
    description: "Trades per second the simulator emits (0 = as fast as possible)",
  }),
  tradesPerFrame: option(int(40, { min: 1 }), {
    env: "SIMULATOR_TRADES_PER_FRAME",
    description:
      "Most trades in one frame (frames hold 1 to this many, as in the real tape of tests/fixtures)",
  }),
  symbolLimit: option(int(50, { min: 1 }), {
    env: "SIMULATOR_SYMBOL_LIMIT",
    description: "Subscriptions past this count get Finnhub's 'too many symbols' error",
  }),
  pingIntervalMs: option(int(10_000, { min: 10 }), {
    env: "SIMULATOR_PING_INTERVAL_MS",
    description: "Period of ping frames",
  }),
  seed: option(int(1, { min: 0 }), { env: "SIMULATOR_SEED", description: "Random seed of the price walk" }),
  backfillMs: option(int(0, { min: 0 }), {
    env: "SIMULATOR_BACKFILL_MS",
    description:
      "Start the trade clock this far in the past and run it fast until it meets the wall clock (history at once)",
  }),
  backfillSpeed: option(num(10, { min: 1 }), {
    env: "SIMULATOR_BACKFILL_SPEED",
    description: "How many times faster than the wall clock the backfill runs",
  }),
  closeEverySec: option(num(0, { min: 0 }), {
    env: "SIMULATOR_CLOSE_EVERY_SEC",
    description: "Fault: close every connection server-side every N s (0 = never)",
  }),
  stallAfterSec: option(num(0, { min: 0 }), {
    env: "SIMULATOR_STALL_AFTER_SEC",
    description: "Fault: after N s a connection goes silent, no trades and no pings (0 = never)",
  }),
  duplicateFrameRatio: option(num(0, { max: 1 }), {
    env: "SIMULATOR_DUPLICATE_FRAME_RATIO",
    description: "Fault: share of frames sent twice",
  }),
  outOfOrderRatio: option(num(0, { max: 1 }), {
    env: "SIMULATOR_OUT_OF_ORDER_RATIO",
    description: "Fault: share of trades stamped up to 3 s in the past",
  }),
  malformedRatio: option(num(0, { max: 1 }), {
    env: "SIMULATOR_MALFORMED_RATIO",
    description: "Fault: share of frames that are malformed",
  }),
});

export const replay = z.object({
  speed: option(
    z
      .union([z.literal("max"), z.coerce.number().positive()])
      .default("max")
      .describe("max or a multiplier"),
    {
      env: "REPLAY_SPEED",
      description: "Replay pace: 1 = as recorded, N = N times faster, max = as fast as possible",
    },
  ),
});
