import type { Bar } from "../../../modules/contracts/index.ts";
import type { TradeToStore } from "../types.ts";

/** One `writeTrades` or `writeBars` call waiting for its commit. */
export type PendingWrite =
  | { kind: "trades"; rows: readonly TradeToStore[] }
  | { kind: "bars"; rows: readonly Bar[] };

/** Below this many pages a commit is cheap however few rows each page gets: it is never held. */
const HOLD_MIN_PAGES = 500;
/** Rows per page touched from which the page writes no longer dominate a commit's cost. */
const HOLD_ROWS_PER_PAGE = 4;

/**
 * Whether writes would be a costly commit now: both tables are clustered by symbol, so a commit writes
 * about one page per symbol it touches in each table, and a commit over thousands of symbols with a few
 * rows each costs a page write per row or two (docs/adr/0003).
 */
export const sparseWrites = (writes: readonly PendingWrite[]) => {
  const pages = { trades: new Set<string>(), bars: new Set<string>() };
  let rows = 0;
  for (const write of writes) {
    rows += write.rows.length;
    const symbols = pages[write.kind];
    for (const row of write.rows) symbols.add(row.symbol);
  }
  const touched = pages.trades.size + pages.bars.size;
  return touched >= HOLD_MIN_PAGES && rows < HOLD_ROWS_PER_PAGE * touched;
};
