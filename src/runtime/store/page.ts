import { TickflowError } from "../errors.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { clampTime } from "./partition.ts";
import type { Page, RangeQuery } from "./types.ts";

/** A position in the (timestamp, trade id) order of trades. No id is empty, so "" sorts before any. */
export interface TradePosition {
  t: number;
  id: string;
}

/** The trades of a page lie strictly between these positions, whatever the sort. */
export interface TradeRange {
  after: TradePosition;
  before: TradePosition;
}

const checkLimit = (limit: number) => {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new TickflowError("BAD_REQUEST", "limit must be a positive integer", {
      details: { parameter: "limit" },
    });
  }
};

const isBefore = (a: TradePosition, b: TradePosition) => a.t < b.t || (a.t === b.t && a.id < b.id);

/**
 * The open interval of trade positions a query's page is taken from: [from, to) narrowed by the cursor
 * (asc pages continue after it, desc pages before it).
 */
export const tradeRange = (query: RangeQuery): TradeRange => {
  checkLimit(query.limit);
  const after = { t: clampTime(query.from), id: "" };
  const before = { t: clampTime(query.to), id: "" };
  if (query.cursor === undefined) return { after, before };
  const { t, id } = decodeCursor(query.cursor);
  if (id === undefined) {
    throw new TickflowError("BAD_REQUEST", "cursor is not a trades cursor", {
      details: { parameter: "cursor" },
    });
  }
  const position = { t, id };
  if (query.sort === "asc") return { after: isBefore(after, position) ? position : after, before };
  return { after, before: isBefore(position, before) ? position : before };
};

/** The window starts of a bars page: from <= t < to, narrowed by the cursor. */
export const barRange = (query: RangeQuery): { from: number; to: number } => {
  checkLimit(query.limit);
  let from = clampTime(query.from);
  let to = clampTime(query.to);
  if (query.cursor !== undefined) {
    const { t } = decodeCursor(query.cursor);
    if (query.sort === "asc") from = Math.max(from, t + 1);
    else to = Math.min(to, t);
  }
  return { from, to };
};

/**
 * A page from up to `limit + 1` rows fetched in page order: the extra row only tells that another page
 * exists, so the last page has a null cursor.
 */
export const toPage = <T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => { t: number; id?: string },
): Page<T> => {
  if (rows.length <= limit) return { results: rows, nextCursor: null };
  const results = rows.slice(0, limit);
  return { results, nextCursor: encodeCursor(positionOf(results[limit - 1]!)) };
};
