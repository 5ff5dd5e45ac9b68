import { z } from "zod";

/**
 * A 1-minute (or rolled-up) OHLCV bar. `mean`, `m2` and `sum_pv` are the mergeable state that lets
 * coarser bars derive exactly from 1-minute bars.
 */
export const barSchema = z.object({
  symbol: z.string().min(1),
  /** Window start, epoch ms, aligned to the window. */
  t: z.number().int(),
  /** Window end, exclusive. */
  T: z.number().int(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
  n: z.number().int().min(1),
  vw: z.number().nullable(),
  volatility: z.number().nullable(),
  mean: z.number(),
  m2: z.number(),
  sum_pv: z.number(),
  final: z.boolean(),
  rev: z.number().int().min(0),
  /** Epoch ms of the last change. */
  updated_at: z.number().int(),
});

export type Bar = z.infer<typeof barSchema>;
