/** Data contracts of tickflow, version 1: the one place the shapes on the wire and in storage are defined. */
export const CONTRACT_VERSION = 1;
export { type Bar, barSchema } from "./bar.ts";
export { isBar } from "./bar-check.ts";
export { type DeadLetter, deadLetterSchema, valueDeadLetter } from "./dead-letter.ts";
export {
  checkFinnhubTrade,
  type FinnhubFrame,
  type FinnhubTrade,
  finnhubFrameSchema,
  finnhubTradeSchema,
  type RejectionReason,
  rejectionReasons,
} from "./finnhub.ts";
export {
  type EndOfInput,
  isEndOfInput,
  type ProcessedMessage,
  processedMessageSchema,
  type TradeTopicMessage,
  tradeTopicMessageSchema,
} from "./processed.ts";
export { symbolPattern } from "./symbol.ts";
export { consumerGroups, type TopicName, topics } from "./topics.ts";
export { compareTrades, type Trade, tradeSchema } from "./trade.ts";
export { checkTrade, type TradeRejection, tradeRejectionReasons } from "./trade-check.ts";
