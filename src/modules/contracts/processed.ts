import { z } from "zod";
import { barSchema } from "./bar.ts";
import { tradeSchema } from "./trade.ts";

/**
 * What the processor hands the writer on `stock-processed`, keyed by symbol and in order:
 * - `trade`: a deduplicated trade, with the outlier flag;
 * - `bar`: a provisional or final 1-minute bar update;
 * - `correction`: recompute the bar of this minute from stored trades (a late trade was just sent);
 * - `end`: a finite source ended; everything before it on this partition has been sent.
 */
export const processedMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("trade"), trade: tradeSchema, outlier: z.boolean() }),
  z.object({ kind: z.literal("bar"), bar: barSchema }),
  z.object({ kind: z.literal("correction"), symbol: z.string().min(1), t: z.number().int() }),
  z.object({ kind: z.literal("end"), source: z.string() }),
]);

export type ProcessedMessage = z.infer<typeof processedMessageSchema>;

/** On `stock-trades`: a trade, or the end marker of a finite source (sent to every partition). */
export const tradeTopicMessageSchema = z.union([
  tradeSchema,
  z.object({ kind: z.literal("end"), source: z.string() }),
]);

export type EndOfInput = { kind: "end"; source: string };
export type TradeTopicMessage = z.infer<typeof tradeTopicMessageSchema>;

export const isEndOfInput = (value: unknown): value is EndOfInput =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "end";
