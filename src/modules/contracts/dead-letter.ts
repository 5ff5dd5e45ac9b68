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
