import { randomBytes } from "node:crypto";
import { createHandle, type ModuleHandle } from "../../../runtime/lifecycle.ts";
import type { IncomingMessage, Subscription, Transport } from "../../../runtime/transport/index.ts";
import { type Bar, type ProcessedMessage, topics } from "../../contracts/index.ts";
import type { StreamEvent } from "./frames.ts";
import type { StreamHub } from "./hub.ts";

/** Prefix of the feed's consumer groups; each api instance reads under a group of its own. */
export const STREAM_GROUP = "tickflow-api";

/** Most messages fanned out at once: a burst a client reading at full speed must absorb. */
const MAX_BATCH = 500;

/**
 * The stream events of processed messages: trades and provisional bar updates, the messages themselves.
 * Final bars come as the writer stored them (`storedBarEvents`); corrections and end markers are no
 * events.
 */
export const streamEvents = (messages: readonly IncomingMessage<ProcessedMessage>[]): StreamEvent[] => {
  const events: StreamEvent[] = [];
  for (const { value } of messages) {
    if (value.kind === "trade" || (value.kind === "bar" && !value.bar.final)) events.push(value);
  }
  return events;
};

/** The stream events of `stock-bars`: final and corrected bars, with their revision. */
export const storedBarEvents = (messages: readonly IncomingMessage<Bar>[]): StreamEvent[] =>
  messages.map(({ value }) => ({ kind: "bar", bar: value }));

/**
 * Feeds `hub` with what is published from now on to the processed topic and to the stored bars topic,
 * until stopped. Every instance reads everything under groups of its own (`group` and `group-bars`,
 * unique per instance unless given) and acknowledges nothing, so a restart starts at the live edge.
 */
export const startStreamFeed = async ({
  transport,
  hub,
  group = `${STREAM_GROUP}-${randomBytes(4).toString("hex")}`,
}: {
  transport: Transport;
  hub: StreamHub;
  group?: string;
}): Promise<ModuleHandle> => {
  const subscriptions: Subscription[] = [];
  const stopAll = () => Promise.all(subscriptions.map((subscription) => subscription.stop()));
  try {
    subscriptions.push(
      await transport.subscribe<ProcessedMessage>(topics.processed, {
        group,
        start: "latest",
        maxBatch: MAX_BATCH,
        onBatch: async (batch) => hub.publish(streamEvents(batch.messages)),
      }),
      await transport.subscribe<Bar>(topics.bars, {
        group: `${group}-bars`,
        start: "latest",
        maxBatch: MAX_BATCH,
        onBatch: async (batch) => hub.publish(storedBarEvents(batch.messages)),
      }),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const { handle, fail } = createHandle(async () => void (await stopAll()));
  for (const subscription of subscriptions) subscription.done.catch(fail);
  return handle;
};
