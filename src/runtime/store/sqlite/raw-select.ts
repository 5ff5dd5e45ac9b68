import type { Database, SQLQueryBindings } from "bun:sqlite";
import { is, Placeholder } from "drizzle-orm";

/** Named parameter values of a statement built with `sql.placeholder(name)`. */
export type Bindings = Record<string, SQLQueryBindings>;

/**
 * A drizzle-built statement run by bun:sqlite directly, rows as arrays of column values in select order.
 * drizzle writes the SQL from the schema; reads that return thousands of rows skip its per-row mapping
 * (a decoder call per column), which cost more than SQLite itself on a page of bars.
 */
export const rawSelect = (client: Database, query: { toSQL(): { sql: string; params: unknown[] } }) => {
  const { sql, params } = query.toSQL();
  const names = params.map((param) => {
    if (!is(param, Placeholder))
      throw new Error(`raw select: parameter ${String(param)} is not a placeholder`);
    return param.name as string;
  });
  const statement = client.prepare<unknown[], SQLQueryBindings[]>(sql);
  return (bindings: Bindings): unknown[][] => statement.values(...names.map((name) => bindings[name]!));
};
