import { z } from "zod";
import { bool, int, nonEmptyCsv, option, optionalString } from "../fields.ts";

export const sqlite = z.object({
  path: option(z.string().trim().min(1, "expected a file path").default("./data/tickflow.db"), {
    env: "SQLITE_PATH",
    description: "SQLite database file (created with its folder)",
  }),
  pageSize: option(
    int(2_048, { min: 512, max: 65_536 }).refine(
      (bytes) => (bytes & (bytes - 1)) === 0,
      "must be a power of two",
    ),
    {
      env: "SQLITE_PAGE_SIZE",
      description:
        "Page size in bytes of a SQLite file this process creates (a power of two, 512 to 65,536); an existing file keeps its own. 2,048 writes less per trade over thousands of symbols; 4,096 stores a few percent more at hundreds of thousands of trades/s over a few symbols",
    },
  ),
  commitHoldMs: option(int(500, { min: 0 }), {
    env: "SQLITE_COMMIT_HOLD_MS",
    description:
      "Shortest time between the starts of two SQLite commits when the second touches many symbols with few rows each, so that it carries more (0: no wait); commits over fewer than 500 symbols, or with enough rows per symbol, never wait",
  }),
});

export const cassandra = z.object({
  contactPoints: option(nonEmptyCsv("127.0.0.1:9042"), {
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
