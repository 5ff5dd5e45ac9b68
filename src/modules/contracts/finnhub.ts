import { z } from "zod";
import { symbolPattern } from "./symbol.ts";

/** One trade as Finnhub sends it inside a `trade` frame. */
export const finnhubTradeSchema = z.object({
  s: z.string().trim().regex(symbolPattern),
  p: z.number().positive().refine(Number.isFinite),
  t: z.number().int().positive().max(8.64e15),
  v: z.number().min(0).refine(Number.isFinite),
  c: z.array(z.string()).nullable().optional(),
});

export const finnhubFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("trade"), data: z.array(z.unknown()) }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("error"), msg: z.string() }),
]);

export type FinnhubTrade = z.infer<typeof finnhubTradeSchema>;
export type FinnhubFrame = z.infer<typeof finnhubFrameSchema>;

/** Why a frame or a trade was rejected; the `reason` label of `validation_errors_total`. */
export const rejectionReasons = [
  "not_json",
  "frame_invalid",
  "trade_not_object",
  "symbol_invalid",
  "price_invalid",
  "timestamp_invalid",
  "volume_invalid",
  "conditions_invalid",
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

const MAX_TIMESTAMP_MS = 8.64e15;

/**
 * The per-trade rules of DESIGN section 2, hand-written for the hot path. Agrees with
 * `finnhubTradeSchema` on every input (a property test holds them together); returns null when valid.
 */
export const checkFinnhubTrade = (raw: unknown): RejectionReason | null => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "trade_not_object";
  const trade = raw as Record<string, unknown>;
  const { s, p, t, v, c } = trade;
  if (typeof s !== "string" || !symbolPattern.test(s.trim())) return "symbol_invalid";
  if (typeof p !== "number" || !(p > 0) || p === Number.POSITIVE_INFINITY) return "price_invalid";
  if (typeof t !== "number" || !Number.isInteger(t) || t <= 0 || t > MAX_TIMESTAMP_MS)
    return "timestamp_invalid";
  if (typeof v !== "number" || !(v >= 0) || v === Number.POSITIVE_INFINITY) return "volume_invalid";
  if (c !== undefined && c !== null) {
    if (!Array.isArray(c)) return "conditions_invalid";
    for (const condition of c) if (typeof condition !== "string") return "conditions_invalid";
  }
  return null;
};
