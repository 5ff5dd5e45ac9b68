import type { Store } from "../../../runtime/store/index.ts";
import type { TimeRange } from "../range.ts";
import type { TradesPage } from "../schemas/trades.ts";
import type { Caching } from "./cached-json.ts";

/** A `/v1/trades/{symbol}` request, its range resolved. */
export interface TradesRequest {
  symbol: string;
  limit: number;
  sort: string;
  cursor?: string | undefined;
  /** As given: undefined when the range's start follows the clock. */
  from?: number | undefined;
  /** As given: undefined when the range ends now. */
  to?: number | undefined;
  range: TimeRange;
}

/**
 * When a page over a range that ends now stops being the answer to the same request although nothing
 * was written: once a stored trade stamped after the range (a source clock ahead of ours) comes into it,
 * and, when `from` follows the clock too, once the page's oldest trade falls out of it. Trades below the
 * range never come back in, and any write of the symbol makes the answer a miss anyway.
 */
const toNowExpiry = async (store: Store, request: TradesRequest, page: TradesPage): Promise<number> => {
  const { symbol, range } = request;
  const span = range.to - range.from;
  const ahead = await store.queryTrades({
    symbol,
    from: range.to,
    to: range.to + span,
    limit: 1,
    sort: "asc",
  });
  const entering = ahead.results[0]?.timestamp ?? range.to + span;
  const leaving =
    request.from === undefined
      ? Math.min(...page.results.map((trade) => trade.t)) + span
      : Number.POSITIVE_INFINITY;
  return Math.min(entering, leaving);
};

/**
 * How a page of trades may be shared between requests: over an explicit range, until the next write of
 * its symbol; over a range that ends now, also until a trade enters or leaves it by the clock (its
 * `next_cursor` keeps the range it was issued for). A page after a cursor without `to` is not shared.
 */
export const tradesCaching = (store: Store, request: TradesRequest): Caching<TradesPage> | undefined => {
  const { symbol, limit, sort, cursor, from, to, range } = request;
  if (to !== undefined)
    return { key: JSON.stringify(["trades", symbol, limit, sort, cursor, range]), symbol };
  if (cursor !== undefined) return undefined;
  return {
    key: JSON.stringify(["trades-to-now", symbol, limit, sort, from ?? null]),
    symbol,
    expiresAt: (page) => toNowExpiry(store, request, page),
  };
};
