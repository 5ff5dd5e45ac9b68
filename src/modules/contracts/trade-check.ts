/** Why a value on `stock-trades` is not a valid trade; the `reason` label of its dead letter. */
export const tradeRejectionReasons = [
  "not_object",
  "id_invalid",
  "symbol_invalid",
  "price_invalid",
  "timestamp_invalid",
  "volume_invalid",
  "conditions_invalid",
  "processed_at_invalid",
  "source_invalid",
  "seq_invalid",
] as const;
export type TradeRejection = (typeof tradeRejectionReasons)[number];

const isConditions = (value: unknown) => {
  if (!Array.isArray(value)) return false;
  for (const condition of value) if (typeof condition !== "string") return false;
  return true;
};

/**
 * The rules of `tradeSchema`, hand-written for the hot path of consumers that must not trust the bus
 * (a buggy producer, bad bytes). Agrees with `tradeSchema` on every input (a property test holds them
 * together); returns null when valid.
 */
export const checkTrade = (value: unknown): TradeRejection | null => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not_object";
  const { id, symbol, price, timestamp, volume, conditions, processed_at, source, seq } = value as Record<
    string,
    unknown
  >;
  if (typeof id !== "string" || id.length === 0) return "id_invalid";
  if (typeof symbol !== "string" || symbol.length === 0) return "symbol_invalid";
  if (typeof price !== "number" || !(price > 0) || price === Number.POSITIVE_INFINITY) return "price_invalid";
  if (!Number.isSafeInteger(timestamp) || (timestamp as number) <= 0) return "timestamp_invalid";
  if (typeof volume !== "number" || !(volume >= 0) || volume === Number.POSITIVE_INFINITY)
    return "volume_invalid";
  if (!isConditions(conditions)) return "conditions_invalid";
  if (!Number.isSafeInteger(processed_at)) return "processed_at_invalid";
  if (typeof source !== "string") return "source_invalid";
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return "seq_invalid";
  return null;
};
