import { z } from "zod";

/** A rejected input on `stock-trades-dlq`: the original payload and why it was rejected. */
export const deadLetterSchema = z.object({
  /** The module that rejected it. */
  stage: z.enum(["ingest", "processor", "writer", "transport"]),
  reason: z.string(),
  message: z.string(),
  /** The original bytes as text (truncated past the configured size). */
  payload: z.string(),
  source: z.string().optional(),
  at: z.number().int(),
});

export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** Dead letters of values (not raw bytes) keep at most this many characters of the value as JSON. */
const MAX_VALUE_PAYLOAD_CHARS = 64 * 1024;

const serialise = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** The dead letter of a decoded value a stage rejected: the value as JSON, its source when it names one. */
export const valueDeadLetter = (
  stage: DeadLetter["stage"],
  value: unknown,
  reason: string,
  message: string,
  at: number,
): DeadLetter => {
  const source = (value as { source?: unknown } | null)?.source;
  return {
    stage,
    reason,
    message,
    payload: serialise(value).slice(0, MAX_VALUE_PAYLOAD_CHARS),
    ...(typeof source === "string" ? { source } : {}),
    at,
  };
};
