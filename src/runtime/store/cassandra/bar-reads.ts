import type { Client } from "cassandra-driver";
import type { Bar } from "../../../modules/contracts/index.ts";
import { monthKey, monthOf } from "./partitions.ts";
import { barFromRow } from "./rows.ts";
import type { Statements } from "./statements.ts";
import { readAll, walkPartitions } from "./walk.ts";

export interface BarSlice {
  symbol: string;
  /** Window starts from <= t < to. */
  from: number;
  to: number;
  sort: "asc" | "desc";
  /** How many bars to return at most (the first ones in `sort` order). */
  want: number;
}

/** The first `want` bars of a slice, walking the month partitions listed in `bar_months` in order. */
export const readBars = async (client: Client, cql: Statements, slice: BarSlice): Promise<Bar[]> => {
  const { symbol, from, to, sort, want } = slice;
  if (from >= to || want <= 0) return [];
  const months = await readAll(
    client,
    cql.months[sort],
    [symbol, monthOf(from), monthOf(to - 1)],
    "bar read",
  );
  const queries = months.map((row) => ({
    query: cql.bars[sort],
    params: [symbol, ...monthKey(row.get("month") as number), from, to],
  }));
  const bars: Bar[] = [];
  for await (const row of walkPartitions(client, queries, want, "bar read")) {
    bars.push(barFromRow(row));
    if (bars.length >= want) break;
  }
  return bars;
};

/** The stored bars of `symbol` at `windowStarts`, in that order; missing windows are left out. */
export const readBarsAt = async (
  client: Client,
  cql: Statements,
  symbol: string,
  windowStarts: readonly number[],
): Promise<Bar[]> => {
  const byMonth = new Map<number, number[]>();
  for (const start of windowStarts) {
    const month = monthOf(start);
    const starts = byMonth.get(month);
    if (starts) starts.push(start);
    else byMonth.set(month, [start]);
  }
  const found = new Map<number, Bar>();
  await Promise.all(
    [...byMonth].map(async ([month, starts]) => {
      const rows = await readAll(client, cql.barsAt, [symbol, ...monthKey(month), starts], "bar read");
      for (const row of rows) {
        const bar = barFromRow(row);
        found.set(bar.t, bar);
      }
    }),
  );
  return windowStarts.flatMap((start) => found.get(start) ?? []);
};
