import { formatPrice, formatTime, formatVolume } from "./format.ts";
import type { Trade } from "./types.ts";

/**
 * The latest trades of the symbol, newest first. Trades arrive far faster than a screen refreshes, so
 * they are queued and drawn once per animation frame.
 */
export class TradeTape {
  #trades: Trade[] = [];
  #frame: number | undefined;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly size = 40,
  ) {}

  /** Shows `trades` (newest first) instead of what was there. */
  reset(trades: readonly Trade[]): void {
    this.#trades = trades.slice(0, this.size);
    this.#schedule();
  }

  add(trade: Trade): void {
    this.#trades.unshift(trade);
    if (this.#trades.length > this.size) this.#trades.length = this.size;
    this.#schedule();
  }

  #schedule() {
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#render();
    });
  }

  #render() {
    const rows = this.#trades.map((trade, index) => {
      const older = this.#trades[index + 1];
      const row = document.createElement("li");
      row.className = older === undefined || trade.p === older.p ? "flat" : trade.p > older.p ? "up" : "down";
      for (const text of [formatTime(trade.t, true), formatPrice(trade.p), formatVolume(trade.v)]) {
        const cell = document.createElement("span");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    });
    this.list.replaceChildren(...rows);
    this.list.dataset.trades = String(this.#trades.length);
  }
}
