import type { TradeToStore } from "../../runtime/store/index.ts";
import type { IncomingMessage } from "../../runtime/transport/index.ts";
import {
  type Bar,
  checkTrade,
  type DeadLetter,
  isBar,
  processedMessageSchema,
  type Trade,
  valueDeadLetter,
} from "../contracts/index.ts";

/** A bar update or a correction request, kept in stream order. */
export type BarWork = { kind: "bar"; bar: Bar } | { kind: "correction"; symbol: string; t: number };

/** One transport batch of `stock-processed`, sorted by what the writer does with each message. */
export interface Inbox {
  trades: TradeToStore[];
  barWork: BarWork[];
  /** Sources whose end marker is in the batch. */
  ends: string[];
  rejected: DeadLetter[];
}

const kindOf = (value: unknown) =>
  typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;

const isTradeMessage = (value: unknown): value is { trade: unknown; outlier: unknown } =>
  kindOf(value) === "trade";

/**
 * The trade with its flag for the store. Only outliers, a few trades beyond `OUTLIER_SIGMA`, are copied
 * to carry it; every other trade is stored as the message holds it, which the store reads as no outlier.
 */
const toStore = (trade: Trade, outlier: boolean): TradeToStore => (outlier ? { ...trade, outlier } : trade);

const isBarMessage = (value: unknown): value is { kind: "bar"; bar: Bar } =>
  kindOf(value) === "bar" && isBar((value as { bar?: unknown }).bar);

/**
 * Sorts and validates a batch. Trade and bar messages, nearly all of the traffic, take the hand-written
 * checks; everything else, and any message that fails them, goes through the schema, which explains the
 * rejection.
 */
export const readInbox = (messages: readonly IncomingMessage<unknown>[], now: number): Inbox => {
  const inbox: Inbox = { trades: [], barWork: [], ends: [], rejected: [] };
  for (const { value } of messages) {
    if (isTradeMessage(value) && typeof value.outlier === "boolean" && checkTrade(value.trade) === null) {
      inbox.trades.push(toStore(value.trade as Trade, value.outlier));
      continue;
    }
    if (isBarMessage(value)) {
      inbox.barWork.push(value);
      continue;
    }
    const parsed = processedMessageSchema.safeParse(value);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "value"}: ${issue.message}`,
      );
      const message = `not a processed message: ${problems.slice(0, 3).join("; ")}`;
      inbox.rejected.push(valueDeadLetter("writer", value, "message_invalid", message, now));
      continue;
    }
    const message = parsed.data;
    if (message.kind === "trade") inbox.trades.push(toStore(message.trade, message.outlier));
    else if (message.kind === "end") inbox.ends.push(message.source);
    else inbox.barWork.push(message);
  }
  return inbox;
};
