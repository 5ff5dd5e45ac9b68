import type { KafkaMessage } from "kafkajs";
import type { DeadLetter } from "../../../modules/contracts/index.ts";
import type { OutgoingMessage } from "../types.ts";

/**
 * Dead letters for consumed messages that are not JSON: the raw bytes as text (at most `maxPayloadBytes`),
 * keyed like the original so they stay in order with their symbol.
 */
export const notJsonLetters = (
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  maxPayloadBytes: number,
): OutgoingMessage<DeadLetter>[] => {
  const at = Date.now();
  return messages.map((message) => ({
    key: message.key?.toString() ?? "",
    value: {
      stage: "transport",
      reason: "not_json",
      message: `message ${message.offset} of ${topic}/${partition} is not JSON; skipped`,
      payload: (message.value ?? Buffer.alloc(0)).subarray(0, maxPayloadBytes).toString(),
      source: topic,
      at,
    },
  }));
};
