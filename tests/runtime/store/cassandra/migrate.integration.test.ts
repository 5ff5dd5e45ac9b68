import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "cassandra-driver";
import { silentLogger } from "../../../../src/runtime/logger.ts";
import { connectCassandra } from "../../../../src/runtime/store/cassandra/client.ts";
import { migrateCassandra } from "../../../../src/runtime/store/cassandra/migrate.ts";
import { type CassandraEndpoint, ensureCassandra, uniqueKeyspace } from "../../../support/cassandra.ts";

const replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
const migrationsFolder = join(import.meta.dir, "../../../../migrations/cassandra");
const logger = silentLogger();

describe("Cassandra migrations", () => {
  let endpoint: CassandraEndpoint;
  let client: Client;
  const keyspaces: string[] = [];
  const options = (keyspace: string) => ({ ...endpoint, keyspace, replication });
  const fresh = () => {
    const keyspace = uniqueKeyspace("mig");
    keyspaces.push(keyspace);
    return keyspace;
  };

  beforeAll(async () => {
    endpoint = await ensureCassandra();
    client = await connectCassandra(endpoint);
  }, 300_000);

  afterAll(async () => {
    for (const keyspace of keyspaces) await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  }, 60_000);

  const tableOptions = async (keyspace: string, table: string) => {
    const row = (
      await client.execute(
        "SELECT default_time_to_live, compaction FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
        [keyspace, table],
      )
    ).first();
    return { ttl: row?.get("default_time_to_live"), compaction: row?.get("compaction") };
  };

  test("creates the keyspace and the tables of DESIGN section 5, once", async () => {
    const keyspace = fresh();
    expect(await migrateCassandra(options(keyspace), logger)).toEqual({ applied: 5, total: 5 });
    expect(await migrateCassandra(options(keyspace), logger)).toEqual({ applied: 0, total: 5 });

    const trades = await tableOptions(keyspace, "trades_v2");
    expect(trades.ttl).toBe(30 * 86_400);
    expect(trades.compaction).toMatchObject({
      class: "org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy",
      compaction_window_unit: "DAYS",
      compaction_window_size: "1",
    });
    const bars = await tableOptions(keyspace, "trade_aggregates");
    expect(bars.ttl).toBe(90 * 86_400);
    expect(bars.compaction).toMatchObject({ compaction_window_size: "7" });
    const replicationOf = await client.execute(
      "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
      [keyspace],
    );
    expect(replicationOf.first()?.get("replication")).toMatchObject({ replication_factor: "1" });
  });

  test("two processes migrating at once apply each migration once", async () => {
    const keyspace = fresh();
    const other = await connectCassandra(endpoint);
    try {
      const results = await Promise.all([
        migrateCassandra(options(keyspace), logger),
        migrateCassandra({ ...options(keyspace), client: other }, logger),
      ]);
      expect(results.map((result) => result.total)).toEqual([5, 5]);
      expect(results[0]!.applied + results[1]!.applied).toBe(5);
      const recorded = await client.execute(`SELECT name FROM ${keyspace}.schema_migrations`);
      expect(recorded.rows.map((row) => row.get("name")).sort()).toEqual([
        "0001_keyspace.cql",
        "0002_trades.cql",
        "0003_trade_aggregates.cql",
        "0004_lookups.cql",
        "0005_trade_outlier.cql",
      ]);
    } finally {
      await other.shutdown();
    }
  });

  test("a migration that ran but was not recorded (a crash in between) applies again harmlessly", async () => {
    const keyspace = fresh();
    await migrateCassandra(options(keyspace), logger);
    await client.execute(`DELETE FROM ${keyspace}.schema_migrations WHERE name = ?`, [
      "0005_trade_outlier.cql",
    ]);
    expect(await migrateCassandra(options(keyspace), logger)).toEqual({ applied: 1, total: 5 });
  });

  test("refuses to run when an applied migration was edited", async () => {
    const keyspace = fresh();
    const folder = await mkdtemp(join(tmpdir(), "tickflow-cql-"));
    try {
      await cp(migrationsFolder, folder, { recursive: true });
      await migrateCassandra({ ...options(keyspace), migrationsFolder: folder }, logger);
      const edited = join(folder, "0004_lookups.cql");
      await Bun.write(edited, `${await Bun.file(edited).text()}\n-- edited\n`);
      await expect(
        migrateCassandra({ ...options(keyspace), migrationsFolder: folder }, logger),
      ).rejects.toThrow(/0004_lookups.cql changed after it was applied/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
