/** The topic names of DESIGN section 6; the Kafka backend may prefix them per environment. */
export const topics = {
  trades: "stock-trades",
  processed: "stock-processed",
  deadLetters: "stock-trades-dlq",
  /** 1-minute bars as the writer stored them final or corrected, keyed by symbol: for live views. */
  bars: "stock-bars",
} as const;

export type TopicName = (typeof topics)[keyof typeof topics];

export const consumerGroups = {
  processor: "tickflow-processor",
  writer: "tickflow-writer",
} as const;
