import type { Registry } from "prom-client";
import type { IncomingMessage, SubscribeOptions, Transport } from "../../../src/runtime/transport/index.ts";

/** Subscribes and keeps every delivered message, in delivery order. */
export const collect = async <T = { n: number }>(
  transport: Transport,
  topic: string,
  group: string,
  options: Partial<SubscribeOptions<T>> = {},
) => {
  const received: IncomingMessage<T>[] = [];
  const subscription = await transport.subscribe<T>(topic, {
    group,
    ...options,
    onBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  return { received, subscription };
};

/** The sum of every series of a metric (0 when absent). */
export const metricTotal = async (registry: Registry, name: string) => {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, { value }) => sum + value, 0) ?? 0;
};

/** Waits for an asynchronous condition, polling, and fails after `timeoutMs`. */
export const eventually = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
};
