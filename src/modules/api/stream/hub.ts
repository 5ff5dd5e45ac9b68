import { randomBytes } from "node:crypto";
import { getOrCreate } from "../../../runtime/collections.ts";
import { TickflowError } from "../../../runtime/errors.ts";
import type { ApiMetrics } from "../metrics.ts";
import { StreamClient } from "./client.ts";
import {
  eventId,
  eventIdPattern,
  eventSymbol,
  heartbeatFrame,
  positionFrame,
  type ResyncReason,
  resyncFrame,
  retryFrame,
  type StreamEvent,
} from "./frames.ts";
import { LiveStats } from "./live-stats.ts";
import { ReplayRing } from "./ring.ts";

export interface StreamHubOptions {
  /** Events kept for Last-Event-ID resume. */
  replayBuffer: number;
  /** Frames a client may have waiting before it is disconnected as too slow. */
  clientQueue: number;
  /** Period of heartbeat events, ms. */
  heartbeatMs: number;
  /** Reconnection delay suggested to EventSource clients, ms. */
  retryMs?: number;
}

/**
 * Fans trade and bar events out to the connected `/v1/stream` clients, each watching some symbols.
 * Every event gets the next id; the latest `replayBuffer` events are kept so that a client reconnecting
 * with Last-Event-ID gets exactly the events of its symbols it missed, or a `resync` event when some
 * of them are gone.
 */
export class StreamHub {
  /** Trade rate and latest trade per symbol of what went through the hub (for `/v1/status`). */
  readonly stats = new LiveStats();
  readonly #instance = randomBytes(4).toString("hex");
  readonly #ring: ReplayRing;
  readonly #watchers = new Map<string, Set<StreamClient>>();
  readonly #clients = new Set<StreamClient>();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #seq = 0;
  #closed = false;

  constructor(
    private readonly options: StreamHubOptions,
    private readonly metrics: ApiMetrics,
  ) {
    this.#ring = new ReplayRing(options.replayBuffer, this.#instance);
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Connected clients. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Id of the latest event. */
  get lastEventId(): string {
    return eventId(this.#instance, this.#seq);
  }

  publish(events: readonly StreamEvent[]): void {
    if (this.#closed) return;
    this.stats.observe(events);
    for (const event of events) {
      const entry = this.#ring.push(++this.#seq, event);
      const watchers = this.#watchers.get(eventSymbol(event));
      if (watchers) for (const client of watchers) client.send(this.#ring.frame(entry));
    }
  }

  /** A new client's body stream: missed events (or a resync event) first, then live events. */
  connect(symbols: readonly string[], lastEventId?: string): ReadableStream<Uint8Array> {
    if (this.#closed) throw new TickflowError("TRANSPORT_CLOSED", "the stream is shutting down");
    const watched = new Set(symbols);
    const client = new StreamClient(watched, this.#opening(watched, lastEventId), this.options.clientQueue, {
      overflow: (dropped) => {
        this.metrics.sseSlowClients.inc();
        this.metrics.sseEventsDropped.inc(dropped);
      },
      closed: (gone) => this.#remove(gone),
    });
    this.#clients.add(client);
    for (const symbol of watched) getOrCreate(this.#watchers, symbol, () => new Set()).add(client);
    this.metrics.sseClients.inc();
    return client.stream;
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.close();
  }

  #opening(symbols: ReadonlySet<string>, lastEventId: string | undefined): string {
    const now = this.lastEventId;
    const retry = retryFrame(this.options.retryMs ?? 1_000);
    if (lastEventId === undefined) return retry + positionFrame(now);
    const match = eventIdPattern.exec(lastEventId);
    const seq = Number(match?.[2]);
    const resync = (reason: ResyncReason) => retry + resyncFrame(now, reason);
    if (match?.[1] !== this.#instance || seq > this.#seq) return resync("unknown-event-id");
    if (!this.#ring.holdsAfter(seq, symbols)) return resync("too-far-behind");
    return retry + this.#ring.framesAfter(seq, this.#seq, symbols) + positionFrame(now);
  }

  #beat(): void {
    const frame = heartbeatFrame(Date.now());
    for (const client of this.#clients) client.send(frame);
  }

  #remove(client: StreamClient): void {
    if (!this.#clients.delete(client)) return;
    this.metrics.sseClients.dec();
    for (const symbol of client.symbols) {
      const watchers = this.#watchers.get(symbol);
      watchers?.delete(client);
      if (watchers?.size === 0) this.#watchers.delete(symbol);
    }
  }
}
