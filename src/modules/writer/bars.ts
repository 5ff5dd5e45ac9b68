import { getOrCreate } from "../../runtime/collections.ts";
import type { Store } from "../../runtime/store/index.ts";
import { MINUTE_MS } from "../bars/index.ts";
import type { Bar } from "../contracts/index.ts";
import { type WindowState, type WindowStates, windowKey } from "./bar-states.ts";
import type { Durably } from "./durably.ts";
import type { BarWork } from "./inbox.ts";
import type { WriterMetrics } from "./metrics.ts";
import type { ProvisionalPacer } from "./provisional-pacer.ts";
import { recomputeBar } from "./recompute.ts";

export interface BarWriterDeps {
  store: Store;
  states: WindowStates;
  pacer: ProvisionalPacer;
  durably: Durably;
  metrics: WriterMetrics;
  clock: () => number;
  /** Recomputed bars leave flagged outliers out, as the processor's do (`OUTLIER_EXCLUDE`). */
  outlierExclude: boolean;
}

/** The state of a bar read from the store: this writer did not write it (as far as it remembers). */
const inheritedState = ({ final, rev }: Bar): WindowState => ({ final, rev, inherited: true });

/**
 * Applies the bar rules of docs/adr/0002 to the bar updates and correction requests of a batch: a
 * provisional bar never overwrites a final one (and is stored at most once per pacing interval), a first
 * final bar is written as given (from the stored trades instead when an earlier run stored the window's
 * open bar, see `#completeInherited`), and a repeated final bar or a correction recomputes the minute
 * from its stored trades (once per batch, however many late trades asked), written with rev + 1 only
 * when it changed. Reads of trades wait for the batch's trades to be durable; other bars need not, so
 * they usually share the trades' commit.
 */
export class BarWriter {
  constructor(private readonly deps: BarWriterDeps) {}

  /** Resolves to the bars written, once durable. `tradesStored` settles once the batch's trades are. */
  async apply(work: readonly BarWork[], tradesStored: Promise<void>): Promise<Bar[]> {
    const { pacer, store, durably, metrics } = this.deps;
    await this.#learnStates(work);
    const pending = new Map<string, Bar>();
    // Once the batch's trades are stored, one recomputation per window sees every one of them.
    const recomputed = new Set<string>();
    const recompute = async (symbol: string, t: number) => {
      await tradesStored;
      await this.#recompute(symbol, t, pending, recomputed);
    };
    for (const item of work) {
      if (item.kind === "correction") {
        await recompute(item.symbol, item.t);
        continue;
      }
      const { bar } = item;
      const key = windowKey(bar.symbol, bar.t);
      let state = this.#known(key, pending);
      if (state === undefined) state = await this.#read(bar.symbol, bar.t, key);
      if (state?.final) {
        if (bar.final) await recompute(bar.symbol, bar.t);
        continue;
      }
      // A window this batch writes anyway takes its newest update without pacing.
      if (bar.final) pacer.end(key);
      else if (!pending.has(key) && !pacer.admit(key, bar)) continue;
      const complete = bar.final && state?.inherited ? await this.#completeInherited(bar, tradesStored) : bar;
      this.#stage(key, complete, state, pending);
    }
    for (const bar of pacer.due()) {
      const key = windowKey(bar.symbol, bar.t);
      const state = this.#known(key, pending);
      if (state === undefined || state?.final) pacer.end(key);
      else this.#stage(key, bar, state, pending);
    }
    if (pending.size === 0) return [];
    const written = [...pending.values()];
    await durably("bar write", () => store.writeBars(written));
    metrics.barsStored.inc(written.length);
    return written;
  }

  /** Queues a bar of a window that is not final for this batch's write, keeping a stored revision. */
  #stage(key: string, bar: Bar, state: WindowState | null, pending: Map<string, Bar>) {
    const rev = state ? state.rev : bar.rev;
    pending.set(key, rev === bar.rev ? bar : { ...bar, rev });
    // An inherited window stays so until its final bar, the one completed from the store.
    const inherited = !bar.final && state?.inherited === true;
    this.deps.states.set(key, { final: bar.final, rev, inherited });
  }

  /**
   * A window's state as far as known without reading: the cache (null: not stored), which `#stage`
   * keeps in step with what this batch is about to write, else that. Undefined when unknown: the cache
   * may have been cleared during an await of this batch, and `#read` asks the store.
   */
  #known(key: string, pending: Map<string, Bar>): WindowState | null | undefined {
    return this.deps.states.get(key) ?? pending.get(key);
  }

  async #read(symbol: string, t: number, key: string): Promise<WindowState | null> {
    const [stored] = await this.deps.durably("bar read", () => this.deps.store.getBars(symbol, [t]));
    const state = stored ? inheritedState(stored) : null;
    this.deps.states.set(key, state);
    return state;
  }

  /**
   * The final bar of a window whose open bar this writer did not store (`inherited`): in-process
   * channels keep no window across a restart, so the processor's bar may lack the trades it saw before,
   * which the store has. Rebuilt from the stored trades when they differ from it; the stored revision
   * is kept (`#stage`): this is the window's first final bar, not a correction.
   */
  async #completeInherited(bar: Bar, tradesStored: Promise<void>): Promise<Bar> {
    const { store, durably, clock, outlierExclude } = this.deps;
    await tradesStored;
    const { symbol, t } = bar;
    const trades = await durably("trade read", () => store.tradesBetween(symbol, t, t + MINUTE_MS));
    return recomputeBar({ symbol, t, trades, current: bar, updatedAt: clock(), outlierExclude }) ?? bar;
  }

  /** Reads the state of the windows of bar updates the cache does not know, one read per symbol. */
  async #learnStates(work: readonly BarWork[]) {
    const { states, store, durably } = this.deps;
    const unknown = new Map<string, Set<number>>();
    for (const item of work) {
      if (item.kind !== "bar" || states.has(windowKey(item.bar.symbol, item.bar.t))) continue;
      getOrCreate(unknown, item.bar.symbol, () => new Set<number>()).add(item.bar.t);
    }
    for (const [symbol, starts] of unknown) {
      const found = await durably("bar read", () => store.getBars(symbol, [...starts]));
      for (const t of starts) states.set(windowKey(symbol, t), null);
      for (const bar of found) states.set(windowKey(symbol, bar.t), inheritedState(bar));
    }
  }

  async #recompute(symbol: string, t: number, pending: Map<string, Bar>, recomputed: Set<string>) {
    const { states, store, durably, metrics, clock, outlierExclude } = this.deps;
    const key = windowKey(symbol, t);
    if (recomputed.has(key)) return;
    recomputed.add(key);
    this.deps.pacer.end(key);
    const trades = await durably("trade read", () => store.tradesBetween(symbol, t, t + MINUTE_MS));
    if (trades.length === 0) return;
    const current = pending.get(key) ?? (await durably("bar read", () => store.getBars(symbol, [t])))[0];
    const bar = recomputeBar({ symbol, t, trades, current, updatedAt: clock(), outlierExclude });
    if (!bar) return;
    pending.set(key, bar);
    states.set(key, { final: true, rev: bar.rev });
    if (current) metrics.barsCorrected.inc();
  }
}
