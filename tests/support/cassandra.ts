import { type CassandraEndpoint, launchCassandraNode } from "./cassandra-node.ts";

export type { CassandraEndpoint, CassandraNode, LaunchOptions } from "./cassandra-node.ts";
export { launchCassandraNode } from "./cassandra-node.ts";

let shared: Promise<CassandraEndpoint> | undefined;

/**
 * The Cassandra every test of this `bun test` process uses: the servers in `CASSANDRA_CONTACT_POINTS`
 * (and `CASSANDRA_LOCAL_DC`) when given, else one node started on first use and stopped when the
 * process exits. Tests isolate themselves with unique keyspaces (`uniqueKeyspace`).
 */
export const ensureCassandra = (): Promise<CassandraEndpoint> => {
  shared ??= fromEnvironment() ?? launchCassandraNode();
  return shared;
};

const fromEnvironment = (): Promise<CassandraEndpoint> | undefined => {
  const given = process.env.CASSANDRA_CONTACT_POINTS?.split(",")
    .map((point) => point.trim())
    .filter((point) => point.length > 0);
  if (!given?.length) return undefined;
  return Promise.resolve({ contactPoints: given, localDc: process.env.CASSANDRA_LOCAL_DC ?? "datacenter1" });
};

let counter = 0;

/** A keyspace name no other test (or concurrent test process) uses. */
export const uniqueKeyspace = (prefix: string) => {
  const name = `t_${prefix}_${process.pid.toString(36)}${Date.now().toString(36)}_${++counter}`.toLowerCase();
  if (name.length > 48) throw new Error(`keyspace name ${name} is longer than Cassandra's 48 characters`);
  return name;
};
