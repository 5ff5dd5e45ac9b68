import { z } from "zod";

/** Most items of one kind in one payload (Faro batches 50 by default). */
const MAX_ITEMS = 500;
const text = (max: number) => z.string().max(max);
const attributes = z.record(text(200), text(2_000));

const exception = z.looseObject({ type: text(200), value: text(10_000).optional() });
const measurement = z.looseObject({
  type: text(200),
  values: z.record(text(200), z.number()),
  context: attributes.optional(),
});
const event = z.looseObject({
  name: text(200),
  domain: text(200).optional(),
  attributes: attributes.optional(),
});

/**
 * The parts of a Faro payload (`TransportBody`) the collector turns into metrics; other fields (meta,
 * logs, traces) may be present and are ignored.
 */
export const faroPayloadSchema = z.looseObject({
  exceptions: z.array(exception).max(MAX_ITEMS).optional(),
  measurements: z.array(measurement).max(MAX_ITEMS).optional(),
  events: z.array(event).max(MAX_ITEMS).optional(),
  logs: z.array(z.unknown()).max(MAX_ITEMS).optional(),
});

export type FaroPayload = z.infer<typeof faroPayloadSchema>;
