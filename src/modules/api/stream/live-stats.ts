import type { StreamEvent } from "./frames.ts";

/** The latest trade of one symbol as the live stream saw it. */
export interface SymbolActivity {
  symbol: string;
  /** Event time of the latest trade, epoch ms. */
  lastTradeAt: number;
  /** How long after ingest accepted that trade it reached the stream, ms. */
  lagMs: number;
}

/** Seconds the trade rate is averaged over. */
const RATE_WINDOW_SEC = 10;

/**
 * What the live stream fans out, summed up for the status route: trades per second over the last
 * seconds and each symbol's latest trade. Fed by the stream hub, so it works in any role split (the api
 * role sees every processed trade).
 */
export class LiveStats {
  readonly #symbols = new Map<string, SymbolActivity>();
  /** Trades per wall-clock second, in a ring indexed by second. */
  readonly #counts = new Float64Array(RATE_WINDOW_SEC);
  readonly #seconds = new Float64Array(RATE_WINDOW_SEC).fill(-1);
  #firstSecond: number | undefined;

  constructor(private readonly clock: () => number = Date.now) {}

  observe(events: readonly StreamEvent[]): void {
    const now = this.clock();
    let trades = 0;
    for (const event of events) {
      if (event.kind !== "trade") continue;
      trades += 1;
      const { symbol, timestamp: t, processed_at } = event.trade;
      const lagMs = Math.max(0, now - processed_at);
      const known = this.#symbols.get(symbol);
      if (known === undefined) this.#symbols.set(symbol, { symbol, lastTradeAt: t, lagMs });
      else if (known.lastTradeAt <= t) {
        // Updated in place: one object per symbol, not one per trade.
        known.lastTradeAt = t;
        known.lagMs = lagMs;
      }
    }
    if (trades > 0) this.#count(Math.floor(now / 1_000), trades);
  }

  /** Average over the last complete seconds (up to 10; fewer right after the first trade). */
  tradesPerSecond(now = this.clock()): number {
    const second = Math.floor(now / 1_000);
    if (this.#firstSecond === undefined || second <= this.#firstSecond) return 0;
    let sum = 0;
    for (let i = 0; i < RATE_WINDOW_SEC; i++) {
      const at = this.#seconds[i]!;
      if (at < second && at >= second - RATE_WINDOW_SEC) sum += this.#counts[i]!;
    }
    return sum / Math.min(RATE_WINDOW_SEC, second - this.#firstSecond);
  }

  /** Each symbol's latest trade, by symbol. */
  symbols(): SymbolActivity[] {
    return [...this.#symbols.values()]
      .map((activity) => ({ ...activity }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  #count(second: number, trades: number) {
    this.#firstSecond ??= second;
    const slot = second % RATE_WINDOW_SEC;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += trades;
  }
}
