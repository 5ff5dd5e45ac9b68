import type { ApiClient } from "./api.ts";
import { formatAge } from "./format.ts";
import type { StreamState } from "./live.ts";
import type { Telemetry } from "./telemetry.ts";
import type { Status } from "./types.ts";

/** A symbol whose latest trade is older than this is shown as stale. */
const STALE_MS = 30_000;
const POLL_MS = 2_000;

const item = (label: string, value: string, className = "") => {
  const element = document.createElement("span");
  element.className = `item ${className}`.trim();
  const name = document.createElement("b");
  name.textContent = label;
  element.append(name, ` ${value}`);
  return element;
};

/**
 * The pipeline at a glance, from `/v1/status` every 2 s: trade rate, source connections, lag of the
 * selected symbol, Kafka lag when there is Kafka, each symbol's last trade age, and this page's stream.
 */
export class HealthStrip {
  #status: Status | undefined;
  #stream: StreamState = "connecting";
  #symbol = "";

  constructor(
    private readonly element: HTMLElement,
    private readonly api: ApiClient,
    private readonly telemetry: Telemetry,
  ) {}

  start(): void {
    const poll = async () => {
      if (!document.hidden) {
        try {
          this.#status = await this.api.get<Status>("/v1/status", "status");
        } catch (error) {
          this.telemetry.error(error as Error);
          this.#status = undefined;
        }
        this.#render();
      }
      setTimeout(poll, POLL_MS);
    };
    void poll();
  }

  set stream(state: StreamState) {
    this.#stream = state;
    this.#render();
  }

  set symbol(symbol: string) {
    this.#symbol = symbol;
    this.#render();
  }

  /** Symbols the live stream has seen, for the picker. */
  get symbols(): string[] {
    return this.#status?.symbols.map((entry) => entry.symbol) ?? [];
  }

  #render() {
    const status = this.#status;
    const items = [item("stream", this.#stream, this.#stream === "live" ? "ok" : "warn")];
    if (status === undefined) {
      items.push(item("status", "unavailable", "warn"));
    } else {
      const rate = status.trades_per_second;
      items.push(item("trades/s", rate.toFixed(0), rate > 0 ? "" : "warn"));
      const ws = status.websocket;
      if (ws !== null) {
        const state = ws.connected === ws.connections && ws.connections > 0 ? "ok" : "warn";
        items.push(item("WebSocket", `${ws.connected}/${ws.connections} connected`, state));
      }
      const selected = status.symbols.find((entry) => entry.symbol === this.#symbol);
      if (selected !== undefined) items.push(item("lag", formatAge(selected.lag_ms)));
      if (status.consumer_lag !== null) items.push(item("Kafka lag", String(status.consumer_lag)));
      for (const entry of status.symbols) {
        const stale = entry.age_ms > STALE_MS ? "stale" : "";
        items.push(item(entry.symbol, formatAge(entry.age_ms), `age ${stale}`.trim()));
      }
    }
    this.element.replaceChildren(...items);
    this.element.dataset.stream = this.#stream;
    this.element.dataset.ready = String(status !== undefined);
  }
}
