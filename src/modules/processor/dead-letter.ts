import type { DeadLetter } from "../contracts/index.ts";

/** The dead-letter payload keeps at most this many characters of the rejected value. */
const MAX_PAYLOAD_CHARS = 64 * 1024;

const serialise = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** A value of `stock-trades` the processor cannot use, with its original payload. */
export const rejectedValue = (value: unknown, reason: string, at: number): DeadLetter => {
  const source = (value as { source?: unknown } | null)?.source;
  return {
    stage: "processor",
    reason,
    message: `not a valid trade: ${reason}`,
    payload: serialise(value).slice(0, MAX_PAYLOAD_CHARS),
    ...(typeof source === "string" ? { source } : {}),
    at,
  };
};
