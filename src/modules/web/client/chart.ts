import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from "lightweight-charts";
import { formatBarTime, formatPrice, formatVolume, priceDecimals } from "./format.ts";
import type { Resolution } from "./resolutions.ts";
import type { Bar } from "./types.ts";

const UP = "#26a69a";
const DOWN = "#ef5350";

/** A bar the chart can draw: one with prices. */
type PricedBar = Bar & { o: number; h: number; l: number; c: number };

const priced = (bar: Bar): bar is PricedBar => bar.o !== null;
const time = (t: number) => (t / 1_000) as UTCTimestamp;
const candle = (bar: PricedBar) => ({
  time: time(bar.t),
  open: bar.o,
  high: bar.h,
  low: bar.l,
  close: bar.c,
});
const volume = (bar: PricedBar) => ({
  time: time(bar.t),
  value: bar.v,
  color: bar.c >= bar.o ? `${UP}80` : `${DOWN}80`,
});

/**
 * Candles with a volume histogram below them. Keeps the bars it shows, in time order, and mirrors a
 * summary on its element's data attributes (bars, spacing, last bar, live updates) for people and tests.
 */
export class MarketChart {
  readonly #chart: IChartApi;
  readonly #candles: ISeriesApi<"Candlestick">;
  readonly #volume: ISeriesApi<"Histogram">;
  #bars: PricedBar[] = [];
  #updates = 0;
  #dayBars = false;
  #live = false;

  constructor(
    private readonly element: HTMLElement,
    private readonly legend: HTMLElement,
  ) {
    this.#chart = createChart(element, {
      autoSize: true,
      // The logo injects a <style> element the page's CSP refuses; the page credits the library instead.
      layout: {
        background: { type: ColorType.Solid, color: "#10151c" },
        textColor: "#c6ccd4",
        attributionLogo: false,
      },
      grid: { vertLines: { color: "#1c232d" }, horzLines: { color: "#1c232d" } },
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        borderColor: "#2a3340",
        barSpacing: 10,
        rightOffset: 4,
      },
      rightPriceScale: { borderColor: "#2a3340", scaleMargins: { top: 0.08, bottom: 0.28 } },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
      borderVisible: false,
    });
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceFormat: { type: "volume" },
      priceScaleId: "",
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.#volume.priceScale().applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    this.#chart.subscribeCrosshairMove((param) => {
      const hovered =
        param.time === undefined ? undefined : this.#bars.find((bar) => time(bar.t) === param.time);
      this.#showLegend(hovered ?? this.#bars.at(-1));
    });
    this.#showLegend(undefined);
  }

  /** Whether live updates arrive: an open bar that stopped moving says so. */
  set live(live: boolean) {
    this.#live = live;
    this.#showLegend(this.#bars.at(-1));
  }

  /** Replaces everything shown with `bars` (any order) of `symbol` at `resolution`. */
  show(symbol: string, resolution: Resolution, bars: readonly Bar[]): void {
    this.#bars = bars.filter(priced).sort((a, b) => a.t - b.t);
    this.#dayBars = resolution.timespan === "day";
    const last = this.#bars.at(-1);
    const decimals = last === undefined ? 2 : priceDecimals(last.c);
    this.#candles.applyOptions({
      priceFormat: { type: "price", precision: decimals, minMove: 10 ** -decimals },
    });
    this.#redraw();
    this.#chart.timeScale().scrollToRealTime();
    Object.assign(this.element.dataset, { symbol, resolution: resolution.label });
    this.#describe();
  }

  /** Draws a new or changed bar (the open bar moving, a new bar, a correction of an older one). */
  upsert(bar: Bar): void {
    if (!priced(bar)) return;
    const bars = this.#bars;
    const last = bars.at(-1);
    this.#updates += 1;
    if (last === undefined || bar.t > last.t) {
      bars.push(bar);
      this.#update(bar);
    } else if (bar.t === last.t) {
      bars[bars.length - 1] = bar;
      this.#update(bar);
    } else {
      const index = bars.findIndex((known) => known.t >= bar.t);
      if (bars[index]?.t === bar.t) {
        bars[index] = bar;
        this.#update(bar, true);
      } else {
        bars.splice(index, 0, bar);
        this.#redraw();
      }
    }
    this.#describe();
  }

  #update(bar: PricedBar, historical = false) {
    this.#candles.update(candle(bar), historical);
    this.#volume.update(volume(bar), historical);
    if (bar.v > 0) this.#showVolume();
  }

  #redraw() {
    this.#candles.setData(this.#bars.map(candle));
    this.#volume.setData(this.#bars.map(volume));
    this.#showVolume();
  }

  /** Quotes without volume (FX) draw no histogram: all zeros would be a flat line mid-panel. */
  #showVolume() {
    const traded = this.#bars.some((bar) => bar.v > 0);
    if (traded !== this.#volume.options().visible) this.#volume.applyOptions({ visible: traded });
  }

  #describe() {
    const bars = this.#bars;
    const last = bars.at(-1);
    const previous = bars.at(-2);
    Object.assign(this.element.dataset, {
      bars: String(bars.length),
      spacing: last && previous ? String((last.t - previous.t) / 1_000) : "",
      lastTime: last ? String(last.t) : "",
      lastClose: last ? String(last.c) : "",
      updates: String(this.#updates),
    });
    this.#showLegend(last);
  }

  #showLegend(bar: PricedBar | undefined) {
    if (bar === undefined) {
      this.legend.textContent = "waiting for bars…";
      return;
    }
    // A narrow screen wraps the legend between values, never inside one (no-break spaces).
    const parts = [
      formatBarTime(bar.t, this.#dayBars),
      `O\u00a0${formatPrice(bar.o)}`,
      `H\u00a0${formatPrice(bar.h)}`,
      `L\u00a0${formatPrice(bar.l)}`,
      `C\u00a0${formatPrice(bar.c)}`,
      `V\u00a0${formatVolume(bar.v)}`,
      `n\u00a0${bar.n}`,
    ];
    if (!bar.final) parts.push(this.#live ? "(open)" : "(open, not\u00a0updating)");
    if (bar.rev > 0) parts.push(`rev\u00a0${bar.rev}`);
    this.legend.textContent = parts.join("  ");
  }
}
