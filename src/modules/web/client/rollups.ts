import { MINUTE_MS, rollUp, supersedes, windowStart } from "./resolutions.ts";
import type { Bar } from "./types.ts";

/** The bar of window [t, t + size) from its 1-minute bars; undefined while none has a price. */
export const windowBar = (t: number, size: number, minutes: readonly Bar[], now: number) => {
  if (!minutes.some((bar) => bar.o !== null)) return undefined;
  return size === MINUTE_MS ? minutes.find((bar) => bar.t === t) : rollUp(t, size, minutes, now);
};

/** What applying a 1-minute bar did. */
export type RollupChange =
  | { kind: "bar"; bar: Bar }
  /** The minute belongs to a window older than those kept: reload that window from the API. */
  | { kind: "reload"; t: number }
  | { kind: "none" };

/**
 * The latest windows of one resolution, kept as their 1-minute bars, so each live 1-minute update
 * yields the window's bar. At 1m a window is the minute itself. Only the newest `keep` windows stay.
 */
export class WindowRollups {
  readonly #windows = new Map<number, Map<number, Bar>>();

  constructor(
    readonly size: number,
    private readonly keep = 3,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Applies one live 1-minute bar version. */
  apply(minute: Bar): RollupChange {
    const t = windowStart(minute.t, this.size);
    let minutes = this.#windows.get(t);
    if (minutes === undefined) {
      const newest = Math.max(Number.NEGATIVE_INFINITY, ...this.#windows.keys());
      if (t < newest) return { kind: "reload", t };
      minutes = this.#open(t);
    }
    if (!supersedes(minute, minutes.get(minute.t))) return { kind: "none" };
    minutes.set(minute.t, minute);
    const bar = this.#bar(t, minutes);
    return bar === undefined ? { kind: "none" } : { kind: "bar", bar };
  }

  /** Whether window `t` is among those kept. */
  tracks(t: number): boolean {
    return this.#windows.has(t);
  }

  /** Sets window `t` from the API's 1-minute bars; live versions already applied and newer are kept. */
  seed(t: number, bars: readonly Bar[]): Bar | undefined {
    const minutes = this.#windows.get(t) ?? this.#open(t);
    for (const bar of bars) if (supersedes(bar, minutes.get(bar.t))) minutes.set(bar.t, bar);
    return this.#bar(t, minutes);
  }

  #open(t: number) {
    const minutes = new Map<number, Bar>();
    this.#windows.set(t, minutes);
    const oldest = [...this.#windows.keys()].sort((a, b) => a - b);
    for (const stale of oldest.slice(0, Math.max(0, oldest.length - this.keep))) this.#windows.delete(stale);
    return minutes;
  }

  #bar(t: number, minutes: Map<number, Bar>) {
    return windowBar(t, this.size, [...minutes.values()], this.clock());
  }
}
