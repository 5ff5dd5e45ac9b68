import type { Client } from "cassandra-driver";
import type { Config } from "../../config/index.ts";
import { toStoreError } from "./errors.ts";

/** How to reach the cluster: the `cassandra` config section (or any object with the same fields). */
export type CassandraConnection = Pick<Config["cassandra"], "contactPoints" | "localDc"> &
  Partial<Pick<Config["cassandra"], "username" | "password">>;

/**
 * Opens a driver session (without a keyspace: statements name it, so one session serves migrations and
 * the store). The driver is imported here, lazily, so processes on the SQLite store never load it.
 */
export const connectCassandra = async (options: CassandraConnection): Promise<Client> => {
  const { Client, auth, policies, types } = await import("cassandra-driver");
  const client = new Client({
    contactPoints: options.contactPoints,
    localDataCenter: options.localDc,
    ...(options.username && {
      authProvider: new auth.PlainTextAuthProvider(options.username, options.password ?? ""),
    }),
    // The driver's default waits up to 10 minutes between reconnection attempts; a node back after an
    // outage must take writes again within seconds.
    policies: { reconnection: new policies.reconnection.ExponentialReconnectionPolicy(500, 5_000, true) },
    queryOptions: { consistency: types.consistencies.localQuorum, prepare: true, isIdempotent: true },
    // The driver's default, relied upon: an undefined parameter leaves its cell alone, where null would
    // write a tombstone (./rows.ts).
    encoding: { useUndefinedAsUnset: true },
  });
  try {
    await client.connect();
  } catch (error) {
    await client.shutdown().catch(() => {});
    throw toStoreError(error, `connect to ${options.contactPoints.join(",")}`);
  }
  return client;
};
