import { createHandle, type ModuleHandle } from "../../../runtime/lifecycle.ts";
import type { IncomingMessage, Transport } from "../../../runtime/transport/index.ts";
import { type ProcessedMessage, topics } from "../../contracts/index.ts";
import { barView, tradeView } from "../views.ts";
import type { StreamEvent } from "./frames.ts";
import type { StreamHub } from "./hub.ts";

/** Consumer group of the stream feed: it sees every processed message, beside processor and writer. */
export const STREAM_GROUP = "tickflow-api";

/** Most messages fanned out at once: a burst a client reading at full speed must absorb. */
const MAX_BATCH = 500;

/** The stream events of processed messages: trades and bar updates (corrections and end markers are not). */
export const streamEvents = (messages: readonly IncomingMessage<ProcessedMessage>[]): StreamEvent[] => {
  const events: StreamEvent[] = [];
  for (const { value } of messages) {
    if (value.kind === "trade") {
      const { symbol } = value.trade;
      events.push({ type: "trade", symbol, data: { symbol, ...tradeView(value.trade) } });
    } else if (value.kind === "bar") {
      const { symbol } = value.bar;
      events.push({ type: "bar", symbol, data: { symbol, ...barView(value.bar) } });
    }
  }
  return events;
};

/** Feeds `hub` from the processed topic until stopped. */
export const startStreamFeed = async ({
  transport,
  hub,
  group = STREAM_GROUP,
}: {
  transport: Transport;
  hub: StreamHub;
  group?: string;
}): Promise<ModuleHandle> => {
  const subscription = await transport.subscribe<ProcessedMessage>(topics.processed, {
    group,
    maxBatch: MAX_BATCH,
    onBatch: async (batch) => hub.publish(streamEvents(batch.messages)),
  });
  const { handle, fail } = createHandle(() => subscription.stop());
  subscription.done.catch(fail);
  return handle;
};
