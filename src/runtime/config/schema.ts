import { z } from "zod";
import { bool, csv, csvOf, int, num, option, optionalInstant, optionalString } from "./fields.ts";

export const roles = ["ingest", "processor", "writer", "api"] as const;
export type Role = (typeof roles)[number];

const defaultSymbols = "AAPL,MSFT,AMZN,NVDA,TSLA,GOOGL,META,BINANCE:BTCUSDT,BINANCE:ETHUSDT,OANDA:EUR_USD";

const runtime = z.object({
  roles: option(csvOf(roles, roles.join(",")), {
    env: "ROLES",
    description: "Modules this process runs: any of ingest, processor, writer, api",
  }),
  transport: option(z.enum(["memory", "kafka"]).default("memory"), {
    env: "TRANSPORT",
    description: "How modules talk: in-process channels (memory) or Kafka",
  }),
  store: option(z.enum(["sqlite", "cassandra"]).default("sqlite"), {
    env: "STORE",
    description: "Where trades and bars are stored",
  }),
  logLevel: option(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"), {
    env: "LOG_LEVEL",
    description: "Minimum level of log lines",
  }),
  logFormat: option(z.enum(["auto", "json", "pretty"]).default("auto"), {
    env: "LOG_FORMAT",
    description: "Log line format; auto is pretty on a terminal and JSON otherwise",
  }),
  statsIntervalMs: option(int(10_000, { min: 0 }), {
    env: "STATS_INTERVAL_MS",
    description: "Period of the rates log line in ms (0 turns it off)",
  }),
});

const ingest = z.object({
  source: option(z.enum(["auto", "finnhub", "simulator", "replay"]).default("auto"), {
    env: "SOURCE",
    description: "Trade source; auto is finnhub when FINNHUB_API_KEY is set, else the built-in simulator",
  }),
  symbols: option(csv(defaultSymbols), { env: "SYMBOLS", description: "Symbols to subscribe to" }),
  recordPath: option(optionalString(), {
    env: "RECORD_PATH",
    flag: "record",
    description: "Append every raw WebSocket frame to this NDJSON file",
  }),
  dlqSampleBytes: option(int(64 * 1024, { min: 256 }), {
    env: "DLQ_MAX_PAYLOAD_BYTES",
    description: "Dead letters keep at most this many bytes of the original payload",
  }),
  maxPendingTrades: option(int(50_000, { min: 1 }), {
    env: "INGEST_MAX_PENDING",
    description:
      "Trades a live source may queue for a slow transport; past this they are dropped and counted (replay waits)",
  }),
});

const finnhub = z.object({
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

const simulator = z.object({
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
  tradesPerFrame: option(int(8, { min: 1 }), {
    env: "SIMULATOR_TRADES_PER_FRAME",
    description: "Most trades in one frame",
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

const replay = z.object({
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

const processor = z.object({
  allowedLatenessMs: option(int(5_000), {
    env: "BAR_ALLOWED_LATENESS_MS",
    description: "Watermark = highest event time seen per symbol minus this",
  }),
  idleTimeoutMs: option(int(10_000, { min: 1 }), {
    env: "BAR_IDLE_TIMEOUT_MS",
    description: "A symbol with no trade for this long (wall clock) advances its watermark so bars close",
  }),
  provisionalIntervalMs: option(int(250), {
    env: "BAR_PROVISIONAL_INTERVAL_MS",
    description: "Shortest interval between two provisional updates of a symbol's open bar",
  }),
  dedupHorizonMs: option(int(5_000, { min: 1 }), {
    env: "DEDUP_HORIZON_MS",
    description:
      "Trade ids of a 1-minute window are remembered until it ended this long before the symbol's highest event time (at least the allowed lateness, so only final windows are forgotten)",
  }),
  outlierSigma: option(num(3, { min: 0 }), {
    env: "OUTLIER_SIGMA",
    description: "A trade this many standard deviations from its symbol's recent mean is an outlier",
  }),
  outlierWindow: option(int(200, { min: 2 }), {
    env: "OUTLIER_WINDOW",
    description: "Number of recent trades the outlier statistics cover",
  }),
  outlierExclude: option(bool(false), {
    env: "OUTLIER_EXCLUDE",
    description: "Leave flagged outliers out of bars (they are always stored and counted)",
  }),
});

const writer = z.object({
  batchSize: option(int(5_000, { min: 1 }), {
    env: "WRITER_BATCH_SIZE",
    description: "Most messages the writer takes per batch and trades it hands the store per write",
  }),
  retryInitialMs: option(int(100, { min: 1 }), {
    env: "WRITER_RETRY_INITIAL_MS",
    description: "First delay before retrying a failed store write; doubles per attempt, with jitter",
  }),
  retryMaxMs: option(int(5_000, { min: 1 }), {
    env: "WRITER_RETRY_MAX_MS",
    description: "Longest delay between two attempts of a failed store write",
  }),
  barStateTtlMs: option(int(600_000, { min: 1_000 }), {
    env: "WRITER_BAR_STATE_TTL_MS",
    description:
      "How long the writer remembers whether a recent 1-minute bar is final (a miss reads the store)",
  }),
  provisionalStoreIntervalMs: option(int(1_000, { min: 0 }), {
    env: "WRITER_PROVISIONAL_STORE_MS",
    description:
      "Shortest interval between two stored versions of an open bar (0: store every update; the live stream gets every update and final bars are stored at once either way)",
  }),
});

const transportOptions = z.object({
  partitions: option(int(6, { min: 1, max: 1_000 }), {
    env: "PARTITIONS",
    description: "Partitions per topic (Kafka topics and in-memory channels)",
  }),
  memoryCapacity: option(int(5_000, { min: 1 }), {
    env: "MEMORY_CHANNEL_CAPACITY",
    description: "Messages an in-memory partition holds before publishers wait",
  }),
});

const kafka = z.object({
  brokers: option(csv("localhost:9092"), { env: "KAFKA_BROKERS", description: "Kafka bootstrap brokers" }),
  clientId: option(z.string().default("tickflow"), {
    env: "KAFKA_CLIENT_ID",
    description: "Kafka client id",
  }),
  topicPrefix: option(z.string().default(""), {
    env: "KAFKA_TOPIC_PREFIX",
    description: "Prefix of every topic name (isolates tests and environments)",
  }),
  replicationFactor: option(int(1, { min: 1 }), {
    env: "KAFKA_REPLICATION_FACTOR",
    description: "Replication factor of provisioned topics",
  }),
  retentionMs: option(int(7 * 24 * 3_600_000, { min: 60_000 }), {
    env: "KAFKA_RETENTION_MS",
    description: "Retention of provisioned topics",
  }),
  sendBufferMessages: option(int(100_000, { min: 1 }), {
    env: "KAFKA_SEND_BUFFER_MESSAGES",
    description: "Messages held while the broker is away before the source is paused",
  }),
  requestMaxBytes: option(int(1_000_000, { min: 1_024 }), {
    env: "KAFKA_REQUEST_MAX_BYTES",
    description: "Most uncompressed bytes in one produce request (keep below the topics' max.message.bytes)",
  }),
  sessionTimeoutMs: option(int(30_000, { min: 1_000 }), {
    env: "KAFKA_SESSION_TIMEOUT_MS",
    description: "A consumer silent for this long leaves its group and its partitions move on",
  }),
  heartbeatIntervalMs: option(int(3_000, { min: 100 }), {
    env: "KAFKA_HEARTBEAT_INTERVAL_MS",
    description: "Period of consumer heartbeats (a third of the session timeout or less)",
  }),
  rebalanceTimeoutMs: option(int(60_000, { min: 1_000 }), {
    env: "KAFKA_REBALANCE_TIMEOUT_MS",
    description: "How long a rebalance waits for every member to rejoin",
  }),
  lagIntervalMs: option(int(5_000, { min: 100 }), {
    env: "KAFKA_LAG_INTERVAL_MS",
    description: "Period of the kafka_consumer_lag metric updates",
  }),
});

const sqlite = z.object({
  path: option(z.string().default("./data/tickflow.db"), {
    env: "SQLITE_PATH",
    description: "SQLite database file (created with its folder)",
  }),
});

const cassandra = z.object({
  contactPoints: option(csv("127.0.0.1:9042"), {
    env: "CASSANDRA_CONTACT_POINTS",
    description: "Cassandra contact points",
  }),
  localDc: option(z.string().default("datacenter1"), {
    env: "CASSANDRA_LOCAL_DC",
    description: "Local datacenter of the driver's load balancing",
  }),
  keyspace: option(z.string().regex(/^\w+$/).default("trading"), {
    env: "CASSANDRA_KEYSPACE",
    description: "Keyspace of the tables",
  }),
  replication: option(z.string().default("{'class': 'SimpleStrategy', 'replication_factor': 1}"), {
    env: "CASSANDRA_REPLICATION",
    description: "Replication map of the keyspace when migrations create it",
  }),
  username: option(optionalString(), { env: "CASSANDRA_USERNAME", description: "Cassandra user" }),
  password: option(optionalString(), {
    env: "CASSANDRA_PASSWORD",
    secret: true,
    description: "Cassandra password",
  }),
  migrateOnStart: option(bool(true), {
    env: "MIGRATE_ON_START",
    description: "Apply pending store migrations at start-up",
  }),
  batchRows: option(int(100, { min: 1 }), {
    env: "CASSANDRA_BATCH_ROWS",
    description: "Most rows in one unlogged batch (a batch always stays inside one partition)",
  }),
  writeConcurrency: option(int(32, { min: 1 }), {
    env: "CASSANDRA_WRITE_CONCURRENCY",
    description: "Most write requests in flight per process",
  }),
  writeAttempts: option(int(5, { min: 1 }), {
    env: "CASSANDRA_WRITE_ATTEMPTS",
    description: "Attempts per write request on timeouts and unavailability before the write fails",
  }),
});

const api = z.object({
  host: option(z.string().default("0.0.0.0"), { env: "HOST", description: "Address the HTTP server binds" }),
  port: option(int(8080, { max: 65_535 }), { env: "PORT", description: "HTTP port (API, health, metrics)" }),
  token: option(optionalString(), {
    env: "API_TOKEN",
    secret: true,
    description: "Bearer token required on /v1/* when set",
  }),
  corsOrigins: option(csv(""), {
    env: "CORS_ORIGINS",
    description: "Origins allowed by CORS (none by default)",
  }),
  maxRangeDays: option(int(366, { min: 1 }), {
    env: "API_MAX_RANGE_DAYS",
    description: "Widest from/to range a query may ask for",
  }),
  maxStreamSymbols: option(int(100, { min: 1 }), {
    env: "API_MAX_STREAM_SYMBOLS",
    description: "Most symbols one /v1/stream connection may watch",
  }),
  streamReplayBuffer: option(int(10_000, { min: 1 }), {
    env: "API_STREAM_REPLAY_BUFFER",
    description: "Events kept for Last-Event-ID resume",
  }),
  streamClientQueue: option(int(5_000, { min: 1 }), {
    env: "API_STREAM_CLIENT_QUEUE",
    description: "Events a /v1/stream client may have waiting before it is disconnected as too slow",
  }),
  streamHeartbeatMs: option(int(15_000, { min: 100, max: 60_000 }), {
    env: "API_STREAM_HEARTBEAT_MS",
    description: "Period of heartbeat events on /v1/stream",
  }),
  faroCollectorUrl: option(optionalString(), {
    env: "FARO_COLLECTOR_URL",
    description: "Where the web page sends Faro telemetry (default: this server's own collector)",
  }),
  cacheMb: option(int(64, { min: 0 }), {
    env: "API_CACHE_MB",
    description:
      "Memory for answers of /v1/bars and /v1/trades over ended ranges, served until the next store write (0 = off)",
  }),
});

/** Flags of the operations commands (rewind, recompute); the pipeline ignores them. */
const ops = z.object({
  group: option(optionalString(), {
    env: "OPS_GROUP",
    flag: "group",
    description: "rewind: the consumer group to move back (tickflow-processor or tickflow-writer)",
  }),
  from: option(optionalInstant(), {
    env: "OPS_FROM",
    flag: "from",
    description: "recompute: start of the range (epoch ms or ISO 8601 with offset)",
  }),
  to: option(optionalInstant(), {
    env: "OPS_TO",
    flag: "to",
    description:
      "rewind: the time to go back to; recompute: end of the range, exclusive (epoch ms or ISO 8601)",
  }),
  dryRun: option(bool(false), {
    env: "OPS_DRY_RUN",
    flag: "dry-run",
    description: "rewind, recompute: report what would change and change nothing",
  }),
});

export const configSchema = z.object({
  runtime,
  ingest,
  finnhub,
  simulator,
  replay,
  processor,
  writer,
  transport: transportOptions,
  kafka,
  sqlite,
  cassandra,
  api,
  ops,
});

export type Config = z.infer<typeof configSchema>;
