import type { Store } from "../../../runtime/store/index.ts";
import { windowStart } from "../../bars/index.ts";
import type { Bar } from "../../contracts/index.ts";

/** The stored 1-minute bars of one window of the requested size, in page order. */
export interface WindowGroup {
  t: number;
  bars: Bar[];
}

export interface ScanQuery {
  symbol: string;
  /** Window starts of the 1-minute bars read: [from, to). */
  from: number;
  to: number;
  sort: "asc" | "desc";
  /** Window size, ms. */
  size: number;
  /** Stored bars read per store query. */
  chunk: number;
}

/**
 * Reads stored 1-minute bars page by page and hands them out grouped by window, each window only once
 * all its bars were read, so a window is never split.
 */
export class WindowScanner {
  #cursor: string | undefined;
  #pending: WindowGroup | undefined;
  #exhausted = false;

  constructor(
    private readonly store: Store,
    private readonly query: ScanQuery,
  ) {}

  /** The next complete windows, in page order; empty once every window was handed out. */
  async next(): Promise<WindowGroup[]> {
    const { symbol, from, to, sort, size, chunk } = this.query;
    const groups: WindowGroup[] = [];
    while (groups.length === 0 && !this.#exhausted) {
      const page = await this.store.queryBars({ symbol, from, to, sort, limit: chunk, cursor: this.#cursor });
      let pending = this.#pending;
      for (const bar of page.results) {
        const t = windowStart(bar.t, size);
        if (pending?.t !== t) {
          if (pending) groups.push(pending);
          pending = { t, bars: [] };
        }
        pending.bars.push(bar);
      }
      this.#cursor = page.nextCursor ?? undefined;
      this.#exhausted = this.#cursor === undefined;
      if (this.#exhausted && pending) groups.push(pending);
      this.#pending = this.#exhausted ? undefined : pending;
    }
    return groups;
  }
}
