import type { ApiClient } from "./api.ts";
import type { MarketChart } from "./chart.ts";
import type { HealthStrip } from "./health.ts";
import { LiveFeed } from "./live.ts";
import { MINUTE_MS, type Resolution, windowStart } from "./resolutions.ts";
import { WindowRollups, windowBar } from "./rollups.ts";
import type { TradeTape } from "./tape.ts";
import type { Telemetry } from "./telemetry.ts";
import type { Bar, BarsPage, Live, Trade, TradesPage } from "./types.ts";

/** How long after a late trade the page reloads its window: the writer recomputes the bar meanwhile. */
const CORRECTION_DELAY_MS = 1_500;
/** Longest wait for the stream to open before loading history anyway. */
const STREAM_WAIT_MS = 3_000;
/** Delay before loading again after a load failed. */
const LOAD_RETRY_MS = 3_000;

export interface ControllerParts {
  api: ApiClient;
  chart: MarketChart;
  tape: TradeTape;
  health: HealthStrip;
  telemetry: Telemetry;
}

/** What a (re)load fetches besides the bars. */
interface LoadScope {
  stream: boolean;
  tape: boolean;
}

const barsPath = (symbol: string, resolution: Resolution, range?: { from: number; to: number }) => {
  const params = new URLSearchParams({
    multiplier: String(resolution.multiplier),
    timespan: resolution.timespan,
    include_open: "true",
    limit: "5000",
  });
  if (range) for (const [key, value] of Object.entries(range)) params.set(key, String(value));
  return `/v1/bars/${encodeURIComponent(symbol)}?${params}`;
};

const withDeadline = (work: Promise<unknown>, ms: number) =>
  Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms))]);

/**
 * One symbol at one resolution: loads history, then applies live events. Stream events that arrive while
 * history loads are held and applied after it, so nothing between the two is lost; a late trade in a
 * closed minute reloads that window once the writer has corrected it.
 */
export class MarketController {
  #symbol = "";
  #resolution!: Resolution;
  #rollups = new WindowRollups(MINUTE_MS);
  #generation = 0;
  #pending: Live<Bar>[] | undefined;
  /** End of the latest final 1-minute bar seen live: a trade before it is late. */
  #finalUntil = 0;
  readonly #reloads = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #live: LiveFeed;

  constructor(private readonly parts: ControllerParts) {
    this.#live = new LiveFeed(parts.api, parts.telemetry, {
      trade: this.#onTrade,
      bar: this.#onBar,
      resync: this.#resync,
      state: (state) => {
        parts.health.stream = state;
        parts.chart.live = state === "live";
      },
    });
  }

  async show(symbol: string, resolution: Resolution): Promise<void> {
    const symbolChanged = symbol !== this.#symbol;
    this.#symbol = symbol;
    this.#resolution = resolution;
    this.parts.health.symbol = symbol;
    await this.#load({ stream: symbolChanged, tape: symbolChanged });
  }

  /** Missed events cannot be replayed: load again, keeping the stream. */
  #resync = () => void this.#load({ stream: false, tape: true });

  #onTrade = (trade: Live<Trade>) => {
    if (trade.symbol !== this.#symbol) return;
    this.parts.tape.add(trade);
    if (trade.t < this.#finalUntil) this.#reloadLater(windowStart(trade.t, this.#resolution.ms));
  };

  #onBar = (bar: Live<Bar>) => {
    if (bar.symbol !== this.#symbol) return;
    if (bar.final) this.#finalUntil = Math.max(this.#finalUntil, bar.T);
    if (this.#pending) this.#pending.push(bar);
    else this.#apply(bar);
  };

  /** Loads the current choice; a failure is reported and the load tried again shortly. */
  async #load(scope: LoadScope): Promise<void> {
    const generation = ++this.#generation;
    try {
      await this.#fill(scope, generation);
    } catch (error) {
      this.#failed(error);
      this.#pending = undefined;
      setTimeout(() => {
        if (generation === this.#generation) void this.#load(scope);
      }, LOAD_RETRY_MS);
    }
  }

  async #fill(scope: LoadScope, generation: number) {
    const { symbol, resolution } = { symbol: this.#symbol, resolution: this.#resolution };
    const { api, chart, tape } = this.parts;
    this.#pending = [];
    this.#rollups = new WindowRollups(resolution.ms);
    for (const timer of this.#reloads.values()) clearTimeout(timer);
    this.#reloads.clear();
    if (scope.stream) {
      this.#finalUntil = 0;
      await withDeadline(this.#live.open([symbol]), STREAM_WAIT_MS);
    }
    const path = `/v1/trades/${encodeURIComponent(symbol)}?limit=40`;
    const [page, trades] = await Promise.all([
      api.get<BarsPage>(barsPath(symbol, resolution), "bars"),
      scope.tape ? api.get<TradesPage>(path, "trades") : undefined,
    ]);
    if (generation !== this.#generation) return;
    chart.show(symbol, resolution, page.results);
    if (trades) tape.reset(trades.results);
    const last = page.results.at(-1);
    if (last !== undefined) {
      const minutes = resolution.ms === MINUTE_MS ? [last] : await this.#minutes(last.t);
      if (generation !== this.#generation) return;
      const seeded = this.#rollups.seed(last.t, minutes);
      if (seeded) chart.upsert(seeded);
    }
    const held = this.#pending;
    this.#pending = undefined;
    for (const bar of held) this.#apply(bar);
  }

  #apply(bar: Bar) {
    const change = this.#rollups.apply(bar);
    if (change.kind === "bar") this.parts.chart.upsert(change.bar);
    else if (change.kind === "reload") this.#reloadLater(change.t);
  }

  /** The 1-minute bars of the window starting at `t` at the current resolution. */
  #minutes(t: number) {
    const range = { from: t, to: t + this.#resolution.ms };
    return this.parts.api
      .get<BarsPage>(
        barsPath(this.#symbol, { ...this.#resolution, multiplier: 1, timespan: "minute" }, range),
        "bars",
      )
      .then((page) => page.results);
  }

  #reloadLater(t: number) {
    if (this.#reloads.has(t)) return;
    const generation = this.#generation;
    const timer = setTimeout(async () => {
      this.#reloads.delete(t);
      try {
        const minutes = await this.#minutes(t);
        if (generation !== this.#generation) return;
        const bar = this.#rollups.tracks(t)
          ? this.#rollups.seed(t, minutes)
          : windowBar(t, this.#resolution.ms, minutes, Date.now());
        if (bar) this.parts.chart.upsert(bar);
      } catch (error) {
        this.#failed(error);
      }
    }, CORRECTION_DELAY_MS);
    this.#reloads.set(t, timer);
  }

  #failed = (error: unknown) => this.parts.telemetry.error(error as Error);
}
