import { decodeCursor, encodeCursor, type Store } from "../../../runtime/store/index.ts";
import { MINUTE_MS, type Timespan, timespanMs, windowStart } from "../../bars/index.ts";
import type { ApiBar, FillMode } from "../schemas/bars.ts";
import { MAX_LIMIT } from "../schemas/common.ts";
import { Gaps } from "./gaps.ts";
import { WindowScanner } from "./scan.ts";
import { emptyBar, windowBar } from "./window-bar.ts";

export interface BarsQuery {
  symbol: string;
  multiplier: number;
  timespan: Timespan;
  /** Window starts in [from, to). */
  from: number;
  to: number;
  limit: number;
  sort: "asc" | "desc";
  includeOpen: boolean;
  fill: FillMode;
  cursor?: string | undefined;
}

export interface BarsPage {
  results: ApiBar[];
  nextCursor: string | null;
}

const alignUp = (time: number, size: number) => windowStart(time - 1, size) + size;

/**
 * True when every window a query for windows starting before `to` can return has ended by `now`: its
 * answer then depends on the stored bars only, no longer on the clock (which windows are final, which
 * empty windows are filled).
 */
export const hasEnded = (to: number, size: number, now: number): boolean => alignUp(to, size) <= now;

/** Takes windows in page order up to the limit; the first one past it becomes the next cursor. */
class Collector {
  readonly results: ApiBar[] = [];
  nextCursor: string | null = null;

  constructor(
    private readonly limit: number,
    private readonly includeOpen: boolean,
  ) {}

  get full() {
    return this.nextCursor !== null;
  }

  /** Returns false once the page is complete. */
  add = (bar: ApiBar): boolean => {
    if (this.full) return false;
    if (!bar.final && !this.includeOpen) return true;
    if (this.results.length === this.limit) this.nextCursor = encodeCursor({ t: bar.t });
    else this.results.push(bar);
    return !this.full;
  };
}

/** The close of the last stored bar before `t`, looking back at most `lookbackMs`. */
const closeBefore = async (store: Store, symbol: string, t: number, lookbackMs: number) => {
  const page = await store.queryBars({ symbol, from: t - lookbackMs, to: t, limit: 1, sort: "desc" });
  return page.results[0]?.c ?? null;
};

/** `fill=prev`: empty windows take the close of the latest earlier window with trades. */
const fillWithPrevious = async (store: Store, query: BarsQuery, bars: ApiBar[], lookbackMs: number) => {
  const ordered = query.sort === "desc" ? bars.toReversed() : bars;
  const first = ordered[0];
  let previous = first?.filled ? await closeBefore(store, query.symbol, first.t, lookbackMs) : null;
  for (const bar of ordered) {
    if (!bar.filled) previous = bar.c;
    else if (previous !== null) bar.o = bar.h = bar.l = bar.c = previous;
  }
};

/**
 * One page of bars of `multiplier` x `timespan`, rolled up from stored 1-minute bars. A page holds whole
 * windows; the cursor is the start of the first window of the next page, whatever the fill mode.
 */
export const queryBarsPage = async (
  store: Store,
  query: BarsQuery,
  { now, lookbackMs }: { now: number; lookbackMs: number },
): Promise<BarsPage> => {
  const size = query.multiplier * timespanMs[query.timespan];
  const descending = query.sort === "desc";
  let lo = alignUp(query.from, size);
  let hi = alignUp(query.to, size);
  if (query.cursor !== undefined) {
    const { t } = decodeCursor(query.cursor);
    if (descending) hi = Math.min(hi, windowStart(t, size) + size);
    else lo = Math.max(lo, alignUp(t, size));
  }
  if (lo >= hi) return { results: [], nextCursor: null };
  const collector = new Collector(query.limit, query.includeOpen);

  // No empty window is made up after the one holding `now`.
  const gaps =
    query.fill === "none"
      ? undefined
      : new Gaps(lo, Math.min(hi, windowStart(now, size) + size), size, descending);
  const chunk = Math.min(MAX_LIMIT, (query.limit + 2) * (size / MINUTE_MS));
  const scanner = new WindowScanner(store, {
    symbol: query.symbol,
    from: lo,
    to: hi,
    sort: query.sort,
    size,
    chunk,
  });
  const addEmpty = (t: number) => collector.add(emptyBar(t, size, now));
  while (!collector.full) {
    const groups = await scanner.next();
    if (groups.length === 0) break;
    for (const group of groups) {
      gaps?.before(group.t, addEmpty);
      if (!collector.add(windowBar(group, size, descending, now))) break;
    }
  }
  if (!collector.full) gaps?.before(undefined, addEmpty);
  if (query.fill === "prev") await fillWithPrevious(store, query, collector.results, lookbackMs);
  return { results: collector.results, nextCursor: collector.nextCursor };
};
