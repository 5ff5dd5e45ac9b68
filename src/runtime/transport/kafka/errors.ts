import { TickflowError } from "../../errors.ts";

const programmingErrors = new Set(["TypeError", "RangeError", "SyntaxError", "ReferenceError"]);
const lostMembership = new Set(["REBALANCE_IN_PROGRESS", "ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID"]);

/** The error and its causes, outermost first (kafkajs wraps the real failure in retry errors). */
const chain = function* (error: unknown) {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    yield current as Error & { retriable?: boolean; type?: string };
  }
};

/**
 * True when a kafkajs failure can go away by itself (broker down or restarting, leader moving,
 * timeouts): worth retrying with backoff. False when the broker rejected the request for good
 * (a protocol error it marks non-retriable, e.g. a message too large) or when our own code threw;
 * our own errors say it themselves.
 */
export const isTransient = (error: unknown): boolean => {
  for (const cause of chain(error)) {
    if (cause instanceof TickflowError) return cause.retryable;
    if (programmingErrors.has(cause.name)) return false;
    if (cause.name === "KafkaJSProtocolError" || cause.name === "KafkaJSCreateTopicError") {
      return cause.retriable !== false;
    }
  }
  return true;
};

/** True when the group moved on without this member (a rebalance started or finished without it). */
export const isMembershipLost = (error: unknown): boolean =>
  [...chain(error)].some((cause) => cause.type !== undefined && lostMembership.has(cause.type));
