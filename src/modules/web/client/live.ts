import type { ApiClient } from "./api.ts";
import type { Telemetry } from "./telemetry.ts";
import type { Bar, Live, Trade } from "./types.ts";

export type StreamState = "connecting" | "live" | "reconnecting" | "down";

export interface LiveHandlers {
  trade(trade: Live<Trade>): void;
  bar(bar: Live<Bar>): void;
  /** Events were missed for good: reload from the API. */
  resync(): void;
  state(state: StreamState): void;
}

/** Delay before opening a stream again after the server refused it (EventSource gives up then). */
const REOPEN_MS = 3_000;

/**
 * `/v1/stream` of some symbols through EventSource, which resumes with Last-Event-ID by itself after a
 * dropped connection. When the server refuses the stream outright (a 401, a restart), it checks the
 * token with a plain request (which asks for it again if needed) and opens a new stream.
 */
export class LiveFeed {
  #source: EventSource | undefined;
  #symbols: readonly string[] = [];
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Settles the pending `open` when the stream is closed before it opened. */
  #settle: ((opened: boolean) => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly telemetry: Telemetry,
    private readonly handlers: LiveHandlers,
  ) {}

  /** Watches `symbols` from now on; resolves when the stream is open (true) or failed for now. */
  async open(symbols: readonly string[]): Promise<boolean> {
    this.close();
    this.#symbols = symbols;
    const generation = ++this.#generation;
    const url = await this.api.streamUrl(symbols);
    if (generation !== this.#generation) return false;
    this.handlers.state("connecting");
    let opening: number | undefined = performance.now();
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener("trade", (event) => this.handlers.trade(JSON.parse(event.data)));
    source.addEventListener("bar", (event) => this.handlers.bar(JSON.parse(event.data)));
    source.addEventListener("resync", () => this.handlers.resync());
    return new Promise<boolean>((resolve) => {
      this.#settle = resolve;
      source.onopen = () => {
        if (opening !== undefined) this.telemetry.timed("stream", performance.now() - opening);
        opening = undefined;
        this.handlers.state("live");
        resolve(true);
      };
      source.onerror = () => {
        resolve(false);
        if (source.readyState !== EventSource.CLOSED) return this.handlers.state("reconnecting");
        this.handlers.state("down");
        this.#timer = setTimeout(() => void this.#reopen(generation), REOPEN_MS);
      };
    });
  }

  close(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = undefined;
    this.#settle?.(false);
  }

  async #reopen(generation: number) {
    if (generation !== this.#generation) return;
    try {
      await this.api.get("/v1/status", "status");
    } catch (error) {
      this.telemetry.error(error as Error);
    }
    if (generation === this.#generation && (await this.open(this.#symbols))) this.handlers.resync();
  }
}
