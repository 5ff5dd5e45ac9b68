import type { Client, types } from "cassandra-driver";
import { toStoreError } from "./errors.ts";

/** Partition queries started ahead of the one being read, so a sparse range is not one round trip per partition. */
const LOOKAHEAD = 4;
/** Rows per page when a caller wants everything. */
const MAX_FETCH = 5_000;

export interface PartitionQuery {
  query: string;
  params: unknown[];
}

/** All rows of a (small) prepared query, following its pages. */
export const readAll = async (client: Client, query: string, params: unknown[], what: string) => {
  const rows: types.Row[] = [];
  try {
    for await (const row of await client.execute(query, params, { prepare: true, fetchSize: MAX_FETCH }))
      rows.push(row);
  } catch (error) {
    throw toStoreError(error, what);
  }
  return rows;
};

/**
 * The rows of several partition queries, partition after partition, each in its own order. Rows are
 * fetched in pages of about `want` rows, so a consumer that stops early reads little more than it used.
 */
export async function* walkPartitions(
  client: Client,
  queries: readonly PartitionQuery[],
  want: number,
  what: string,
): AsyncGenerator<types.Row> {
  const fetchSize = Math.max(1, Math.min(want, MAX_FETCH));
  const started: Promise<types.ResultSet>[] = [];
  let next = 0;
  const startMore = () => {
    while (next < queries.length && started.length < LOOKAHEAD) {
      const { query, params } = queries[next++]!;
      const result = client.execute(query, params, { prepare: true, fetchSize });
      // Read or abandoned when the consumer stops early: never an unhandled rejection.
      result.catch(() => {});
      started.push(result);
    }
  };
  try {
    startMore();
    while (started.length > 0) {
      const result = await started.shift()!;
      startMore();
      for await (const row of result) yield row;
    }
  } catch (error) {
    throw toStoreError(error, what);
  }
}
