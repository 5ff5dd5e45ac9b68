import { BarAccumulator } from "../bars/index.ts";
import { IdHorizon } from "./dedup.ts";
import { RollingStats } from "./outliers.ts";

/** A 1-minute window of one symbol that the watermark has not passed yet. */
export class OpenBar {
  readonly acc = new BarAccumulator();
  /** Changed since the last provisional update. */
  dirty = false;
  /** Cleared when the bar is finalised. */
  open = true;
  /** Holds a trade that could not be checked for a duplicate: recomputed from the store once final. */
  recompute = false;

  constructor(
    /** Window start. */
    readonly t: number,
    /** Offset of the bar's first (and so oldest) trade: a restart must replay from there to rebuild it. */
    readonly firstOffset: number,
  ) {}
}

/** Everything the engine knows about one symbol of its partition. */
export class SymbolState {
  /** Highest event time seen. */
  maxEventTime = Number.NEGATIVE_INFINITY;
  /** Windows ending at or before this are final. */
  watermark = Number.NEGATIVE_INFINITY;
  /** Wall clock of the last trade, for the idle timeout. */
  lastArrival = 0;
  /** Wall clock of the last provisional update. */
  lastUpdate = Number.NEGATIVE_INFINITY;
  /** Waiting for its next provisional update. */
  pending = false;
  /** Open bars by window start, ascending; rarely more than two. */
  readonly bars: OpenBar[] = [];
  readonly ids: IdHorizon;
  readonly prices: RollingStats;

  constructor(
    readonly symbol: string,
    options: { dedupHorizonMs: number; allowedLatenessMs: number; outlierWindow: number },
  ) {
    this.ids = new IdHorizon(options.dedupHorizonMs, options.allowedLatenessMs);
    this.prices = new RollingStats(options.outlierWindow);
  }

  /** The open bar of window `t`, or undefined. */
  barAt(t: number): OpenBar | undefined {
    const bars = this.bars;
    for (let i = bars.length - 1; i >= 0; i--) {
      const bar = bars[i]!;
      if (bar.t === t) return bar;
      if (bar.t < t) return undefined;
    }
    return undefined;
  }

  /** Adds an open bar, keeping window order. */
  insert(bar: OpenBar): void {
    const bars = this.bars;
    let i = bars.length;
    while (i > 0 && bars[i - 1]!.t > bar.t) i--;
    bars.splice(i, 0, bar);
  }
}
