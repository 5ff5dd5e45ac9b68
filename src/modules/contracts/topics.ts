/** The topic names of DESIGN section 6; the Kafka backend may prefix them per environment. */
export const topics = {
  trades: "stock-trades",
  processed: "stock-processed",
  deadLetters: "stock-trades-dlq",
} as const;

export type TopicName = (typeof topics)[keyof typeof topics];

export const consumerGroups = {
  processor: "tickflow-processor",
  writer: "tickflow-writer",
} as const;
