// biome-ignore-all lint/suspicious/noTemplateCurlyInString: migrations use ${name} placeholders, not JS templates
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMigrations } from "../../../../src/runtime/store/cassandra/migrations.ts";

let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

const folderWith = async (files: Record<string, string>) => {
  folder = await mkdtemp(join(tmpdir(), "tickflow-cql-"));
  for (const [name, text] of Object.entries(files)) await Bun.write(join(folder, name), text);
  return folder;
};

test("migrations load in name order, as statements with their placeholders filled", async () => {
  const migrations = await loadMigrations(
    await folderWith({
      "0002_tables.cql":
        "-- a comment; with a semicolon\nCREATE TABLE ${keyspace}.a (x int PRIMARY KEY);\n\nCREATE TABLE ${keyspace}.b (y int PRIMARY KEY);\n",
      "0001_keyspace.cql": "CREATE KEYSPACE ${keyspace} WITH replication = ${replication};",
      "notes.md": "not a migration",
    }),
  );
  expect(migrations.map((migration) => migration.name)).toEqual(["0001_keyspace.cql", "0002_tables.cql"]);
  const variables = { keyspace: "ks", replication: "{'class': 'SimpleStrategy', 'replication_factor': 1}" };
  expect(migrations[1]!.statements(variables)).toEqual([
    "CREATE TABLE ks.a (x int PRIMARY KEY)",
    "CREATE TABLE ks.b (y int PRIMARY KEY)",
  ]);
  expect(migrations[0]!.statements(variables)).toEqual([
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
  ]);
  expect(migrations[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
});

test("a placeholder nobody fills is an error naming the file", async () => {
  const [migration] = await loadMigrations(
    await folderWith({ "0001_x.cql": "CREATE TABLE ${keyspace}.${table} (x int PRIMARY KEY);" }),
  );
  expect(() => migration!.statements({ keyspace: "ks" })).toThrow(
    "migration 0001_x.cql uses unknown placeholder ${table}",
  );
});

test("the repository's migrations create the keyspace first", async () => {
  const migrations = await loadMigrations(join(import.meta.dir, "../../../../migrations/cassandra"));
  const [first] = migrations[0]!.statements({ keyspace: "trading", replication: "{}" });
  expect(first).toStartWith("CREATE KEYSPACE IF NOT EXISTS trading");
});
