import type { Config } from "../../runtime/config/index.ts";
import { MINUTE_MS, toBar, windowStart } from "../bars/index.ts";
import type { ProcessedMessage, Trade } from "../contracts/index.ts";
import { ReplayPoint } from "./replay-point.ts";
import { createEngineStats, type EngineStats } from "./stats.ts";
import { OpenBar, SymbolState } from "./symbol-state.ts";

export type ProcessorOptions = Config["processor"];

/**
 * The processor of one partition as a pure, synchronous state machine: trades in (in offset order), the
 * messages for `stock-processed` out, appended to `out` in the order the writer must see them. Time comes
 * in as `now` (wall clock, epoch ms); nothing here reads a clock or does I/O.
 */
export class PartitionEngine {
  readonly stats: EngineStats;
  readonly #options: ProcessorOptions;
  readonly #symbols = new Map<string, SymbolState>();
  /** Symbols with at least one open bar. */
  readonly #active = new Set<SymbolState>();
  /** Symbols with a provisional update due. */
  #pending: SymbolState[] = [];
  readonly #replayPoint = new ReplayPoint();
  #openBars = 0;

  constructor(options: ProcessorOptions, stats: EngineStats = createEngineStats()) {
    this.#options = options;
    this.stats = stats;
  }

  /** Bars not final yet. */
  get openBars(): number {
    return this.#openBars;
  }

  /** Offset of the oldest trade of a still-open bar: commits must stop there. Undefined when none is open. */
  replayFrom(): number | undefined {
    return this.#replayPoint.offset();
  }

  /**
   * One trade at `offset`. Emits it unless its id was seen, then what it causes: a correction request if
   * its window is already final, final bars if it moved the watermark past them. Provisional updates wait
   * for `flush`.
   */
  ingest(trade: Trade, offset: number, now: number, out: ProcessedMessage[]): void {
    const stats = this.stats;
    stats.trades++;
    const { symbol, price, timestamp } = trade;
    const state = this.#symbols.get(symbol) ?? this.#track(symbol);
    const found = state.ids.check(trade.id, timestamp);
    if (found === "duplicate") {
      stats.duplicates++;
      return;
    }
    state.lastArrival = now;
    const outlier = state.prices.observe(price, this.#options.outlierSigma);
    if (outlier) stats.outliers++;
    out.push({ kind: "trade", trade, outlier });

    const t = windowStart(timestamp, MINUTE_MS);
    if (t + MINUTE_MS <= state.watermark) {
      stats.late++;
      stats.latenessMs.push(Math.max(0, state.maxEventTime - timestamp));
      out.push({ kind: "correction", symbol, t });
      return;
    }
    if (!outlier || !this.#options.outlierExclude) this.#add(state, t, trade, offset);
    if (found === "unchecked") this.#recomputeWhenFinal(state, t);
    if (timestamp > state.maxEventTime) {
      state.maxEventTime = timestamp;
      const watermark = timestamp - this.#options.allowedLatenessMs;
      if (watermark > state.watermark) {
        state.watermark = watermark;
        this.#finalise(state, now, out);
      }
    }
  }

  /** Emits the provisional updates that are due (at most one per symbol per provisional interval). */
  flush(now: number, out: ProcessedMessage[]): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    const interval = this.#options.provisionalIntervalMs;
    let kept = 0;
    for (const state of pending) {
      if (now - state.lastUpdate < interval) pending[kept++] = state;
      else this.#update(state, now, out);
    }
    pending.length = kept;
  }

  /** Timer work: closes the bars of symbols idle for the idle timeout, then `flush`. */
  tick(now: number, out: ProcessedMessage[]): void {
    const idleBefore = now - this.#options.idleTimeoutMs;
    for (const state of this.#active) if (state.lastArrival <= idleBefore) this.#closeAll(state, now, out);
    this.flush(now, out);
  }

  /** The end marker of `source`: every open bar becomes final, then the marker itself is emitted. */
  endOfInput(source: string, now: number, out: ProcessedMessage[]): void {
    for (const state of this.#active) this.#closeAll(state, now, out);
    out.push({ kind: "end", source });
  }

  #track(symbol: string) {
    const state = new SymbolState(symbol, this.#options);
    this.#symbols.set(symbol, state);
    return state;
  }

  #add(state: SymbolState, t: number, trade: Trade, offset: number) {
    let bar = state.barAt(t);
    if (bar === undefined) {
      bar = new OpenBar(t, offset);
      state.insert(bar);
      this.#replayPoint.opened(bar);
      this.#active.add(state);
      this.#openBars++;
    }
    bar.acc.add(trade.price, trade.volume, trade.timestamp, trade.seq);
    bar.dirty = true;
    if (!state.pending) {
      state.pending = true;
      this.#pending.push(state);
    }
  }

  /**
   * A trade too far behind its symbol's newest to be checked against the ids remembered may repeat one
   * already counted in its open bar: once final, the bar is recomputed from the stored trades (each
   * stored once, by id), which changes it only if the trade was a duplicate.
   */
  #recomputeWhenFinal(state: SymbolState, t: number) {
    this.stats.unchecked++;
    const bar = state.barAt(t);
    if (bar) bar.recompute = true;
  }

  /** Finalises the open bars the symbol's watermark has passed. */
  #finalise(state: SymbolState, now: number, out: ProcessedMessage[]) {
    const bars = state.bars;
    let closed = 0;
    while (closed < bars.length && bars[closed]!.t + MINUTE_MS <= state.watermark) {
      this.#emitFinal(state, bars[closed]!, now, out);
      closed++;
    }
    if (closed === 0) return;
    bars.splice(0, closed);
    if (bars.length === 0) this.#active.delete(state);
  }

  /**
   * Idle timeout or end of input: every open bar of the symbol becomes final and later trades for those
   * windows are late, so the symbol's ids need not be remembered any more.
   */
  #closeAll(state: SymbolState, now: number, out: ProcessedMessage[]) {
    const end = windowStart(state.maxEventTime, MINUTE_MS) + MINUTE_MS;
    if (end > state.watermark) state.watermark = end;
    this.#finalise(state, now, out);
    state.ids.clear();
  }

  #emitFinal(state: SymbolState, bar: OpenBar, now: number, out: ProcessedMessage[]) {
    bar.open = false;
    bar.dirty = false;
    this.#openBars--;
    this.stats.barsFinalized++;
    out.push({ kind: "bar", bar: toBar(bar.acc, this.#meta(state, bar, true, now)) });
    if (bar.recompute) out.push({ kind: "correction", symbol: state.symbol, t: bar.t });
  }

  #update(state: SymbolState, now: number, out: ProcessedMessage[]) {
    state.pending = false;
    let updated = false;
    for (const bar of state.bars) {
      if (!bar.dirty) continue;
      bar.dirty = false;
      updated = true;
      this.stats.barUpdates++;
      out.push({ kind: "bar", bar: toBar(bar.acc, this.#meta(state, bar, false, now)) });
    }
    if (updated) state.lastUpdate = now;
  }

  #meta(state: SymbolState, bar: OpenBar, final: boolean, now: number) {
    return { symbol: state.symbol, t: bar.t, T: bar.t + MINUTE_MS, final, rev: 0, updatedAt: now };
  }
}
