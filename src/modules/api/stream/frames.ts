import type { ProcessedMessage } from "../../contracts/index.ts";
import { barView, streamTradeView } from "../views.ts";

/**
 * What the hub fans out: one trade or one 1-minute bar update, as the pipeline passed it on. Its JSON
 * view is made only when a client needs its frame: most events reach none.
 */
export type StreamEvent = Extract<ProcessedMessage, { kind: "trade" | "bar" }>;

export const eventSymbol = (event: StreamEvent): string =>
  event.kind === "trade" ? event.trade.symbol : event.bar.symbol;

const eventData = (event: StreamEvent): object =>
  event.kind === "trade" ? streamTradeView(event.trade) : { symbol: event.bar.symbol, ...barView(event.bar) };

/** Why a client must re-query instead of resuming. */
export type ResyncReason = "too-far-behind" | "unknown-event-id";

/** Event ids are `<hub instance>-<sequence>`: an id from another instance (a restart) cannot resume. */
export const eventIdPattern = /^([0-9a-f]{8})-(\d{1,15})$/;

export const eventId = (instance: string, seq: number) => `${instance}-${seq}`;

export const eventFrame = (id: string, event: StreamEvent) =>
  `id: ${id}\nevent: ${event.kind}\ndata: ${JSON.stringify(eventData(event))}\n\n`;

/** Moves the client's Last-Event-ID to `id` without dispatching an event (no data field). */
export const positionFrame = (id: string) => `id: ${id}\n\n`;

export const resyncFrame = (id: string, reason: ResyncReason) =>
  `id: ${id}\nevent: resync\ndata: ${JSON.stringify({ reason })}\n\n`;

export const heartbeatFrame = (now: number) => `event: heartbeat\ndata: {"t":${now}}\n\n`;

/** Reconnection delay the browser's EventSource should use. */
export const retryFrame = (ms: number) => `retry: ${ms}\n\n`;
