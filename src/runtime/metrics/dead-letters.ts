import { Counter, type Registry } from "prom-client";

/**
 * `dead_letters_total{stage,reason}`: inputs sent to the dead-letter channel, shared by every stage that
 * rejects input (ingest, processor, writer). Obtain it with `metricsOf(registry, deadLetterMetrics)`.
 */
export const deadLetterMetrics = (registry: Registry) => ({
  deadLetters: new Counter({
    name: "dead_letters_total",
    help: "Inputs sent to the dead-letter channel, by stage and reason",
    labelNames: ["stage", "reason"] as const,
    registers: [registry],
  }),
});
