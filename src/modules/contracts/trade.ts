import { z } from "zod";

/**
 * A validated, enriched trade as it travels on the bus (topic `stock-trades`, keyed by symbol).
 * Version 1 of the contract.
 */
export const tradeSchema = z.object({
  /** Deterministic id from the source (DESIGN section 3); identity, never content. */
  id: z.string().min(1),
  symbol: z.string().min(1),
  price: z.number().positive(),
  /** Event time, epoch ms. */
  timestamp: z.number().int().positive(),
  volume: z.number().min(0),
  conditions: z.array(z.string()),
  /** Epoch ms when ingest accepted the trade. */
  processed_at: z.number().int(),
  /** Which source produced it: finnhub, simulator, replay:<file>... */
  source: z.string(),
  /** Arrival order inside its source; breaks ties between trades of the same millisecond. */
  seq: z.number().int().min(0),
});

export type Trade = z.infer<typeof tradeSchema>;

/** Orders trades by event time, then arrival order: the order that defines open and close. */
export const compareTrades = (a: Trade, b: Trade) => a.timestamp - b.timestamp || a.seq - b.seq;
