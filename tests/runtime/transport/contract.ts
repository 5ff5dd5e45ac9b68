import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type {
  Batch,
  IncomingMessage,
  SubscribeOptions,
  Transport,
} from "../../../src/runtime/transport/index.ts";

/** Waits for `condition` to hold, polling, and fails after `timeoutMs`. */
export const waitFor = async (condition: () => boolean, timeoutMs = 10_000, what = "condition") => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

export interface TransportFixture {
  transport: Transport;
  /** A topic name nobody else uses. */
  topic(): string;
  cleanup(): Promise<void>;
}

/** The behaviour every Transport backend must show; run by each backend's test file. */
export const transportContract = (name: string, setup: () => Promise<TransportFixture>) => {
  describe(`Transport contract: ${name}`, () => {
    let fixture: TransportFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    const collect = async (topic: string, group: string, start?: SubscribeOptions<unknown>["start"]) => {
      const received: IncomingMessage<{ n: number }>[] = [];
      const subscription = await fixture.transport.subscribe<{ n: number }>(topic, {
        group,
        start,
        onBatch: async (batch: Batch<{ n: number }>) => {
          received.push(...batch.messages);
        },
      });
      return { received, subscription };
    };

    test("delivers every message once, keeping order per key", async () => {
      const topic = fixture.topic();
      const { received, subscription } = await collect(topic, "g1");
      const messages = Array.from({ length: 300 }, (_, n) => ({ key: `K${n % 7}`, value: { n } }));
      await fixture.transport.publish(topic, messages);
      await waitFor(() => received.length >= 300, 30_000, "300 messages");
      expect(received.map((m) => m.value.n).sort((a, b) => a - b)).toEqual(messages.map((m) => m.value.n));
      for (let key = 0; key < 7; key++) {
        const ns = received.filter((m) => m.key === `K${key}`).map((m) => m.value.n);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
      await subscription.stop();
    });

    test("every group sees every message", async () => {
      const topic = fixture.topic();
      const a = await collect(topic, "ga");
      const b = await collect(topic, "gb");
      await fixture.transport.publish(
        topic,
        [1, 2, 3].map((n) => ({ key: "X", value: { n } })),
      );
      await waitFor(() => a.received.length === 3 && b.received.length === 3, 30_000, "both groups");
      await Promise.all([a.subscription.stop(), b.subscription.stop()]);
    });

    test("members of one group share partitions without duplicates", async () => {
      const topic = fixture.topic();
      const a = await collect(topic, "shared");
      const b = await collect(topic, "shared");
      const messages = Array.from({ length: 200 }, (_, n) => ({ key: `S${n % 20}`, value: { n } }));
      await fixture.transport.publish(topic, messages);
      await waitFor(() => a.received.length + b.received.length >= 200, 30_000, "200 messages");
      await Bun.sleep(50);
      const all = [...a.received, ...b.received].map((m) => m.value.n).sort((x, y) => x - y);
      expect(all).toEqual(messages.map((m) => m.value.n));
      await Promise.all([a.subscription.stop(), b.subscription.stop()]);
    });

    test("explicit partitions reach every partition", async () => {
      const topic = fixture.topic();
      const { received, subscription } = await collect(topic, "g");
      const partitions = fixture.transport.partitions;
      await fixture.transport.publish(
        topic,
        Array.from({ length: partitions }, (_, partition) => ({
          key: "end",
          value: { n: partition },
          partition,
        })),
      );
      await waitFor(() => received.length === partitions, 30_000, "one message per partition");
      expect(new Set(received.map((m) => m.partition)).size).toBe(partitions);
      await subscription.stop();
    });

    test("a latest member sees only what is published once it subscribed, and acknowledges nothing", async () => {
      const topic = fixture.topic();
      const { transport } = fixture;
      /** One marker per partition: once each arrived, every earlier message of its partition has too. */
      const markers = () =>
        Array.from({ length: transport.partitions }, (_, partition) => ({
          key: "marker",
          value: { n: -1 },
          partition,
        }));
      const values = (received: IncomingMessage<{ n: number }>[]) =>
        received.map((m) => m.value.n).filter((n) => n >= 0);
      const markersIn = (received: IncomingMessage<{ n: number }>[]) =>
        received.filter((m) => m.value.n === -1).length;

      await transport.publish(
        topic,
        [1, 2, 3].map((n) => ({ key: `E${n}`, value: { n } })),
      );
      const first = await collect(topic, "live", "latest");
      await transport.publish(topic, [
        ...[4, 5, 6, 7].map((n) => ({ key: `E${n}`, value: { n } })),
        ...markers(),
      ]);
      await waitFor(() => markersIn(first.received) === transport.partitions, 30_000, "markers");
      expect(values(first.received).sort((a, b) => a - b)).toEqual([4, 5, 6, 7]);
      const lag = async () => (await first.subscription.lag()).reduce((sum, p) => sum + p.lag, 0);
      const deadline = Date.now() + 20_000;
      while ((await lag()) !== 0 && Date.now() < deadline) await Bun.sleep(20);
      expect(await lag()).toBe(0);
      await first.subscription.stop();

      await transport.publish(topic, [{ key: "E8", value: { n: 8 } }]);
      const second = await collect(topic, "live", "latest");
      await transport.publish(topic, [{ key: "E9", value: { n: 9 } }, ...markers()]);
      await waitFor(() => markersIn(second.received) === transport.partitions, 30_000, "markers again");
      expect(values(second.received)).toEqual([9]);
      await second.subscription.stop();
    });

    test("a failing handler with a retryable error gets the batch again", async () => {
      const topic = fixture.topic();
      const { TickflowError } = await import("../../../src/runtime/errors.ts");
      let attempts = 0;
      const seen: number[] = [];
      const subscription = await fixture.transport.subscribe<{ n: number }>(topic, {
        group: "retry",
        onBatch: async (batch) => {
          attempts += 1;
          if (attempts === 1) throw new TickflowError("STORE_UNAVAILABLE", "down for a moment");
          seen.push(...batch.messages.map((m) => m.value.n));
        },
      });
      await fixture.transport.publish(topic, [{ key: "A", value: { n: 1 } }]);
      await waitFor(() => seen.length === 1, 30_000, "redelivery");
      expect(seen).toEqual([1]);
      await subscription.stop();
    });

    test("a non-retryable handler error ends the subscription", async () => {
      const topic = fixture.topic();
      const subscription = await fixture.transport.subscribe(topic, {
        group: "fatal",
        onBatch: async () => {
          throw new Error("bug");
        },
      });
      await fixture.transport.publish(topic, [{ key: "A", value: { n: 1 } }]);
      await expect(subscription.done).rejects.toThrow("bug");
    });

    test("lag counts what a group has not consumed yet", async () => {
      const topic = fixture.topic();
      const release = Promise.withResolvers<void>();
      let handled = 0;
      const subscription = await fixture.transport.subscribe<{ n: number }>(topic, {
        group: "lag",
        maxBatch: 1,
        onBatch: async () => {
          await release.promise;
          handled += 1;
        },
      });
      // One publish each: messages published together may share a position (Kafka: one record).
      for (const n of [1, 2, 3]) await fixture.transport.publish(topic, [{ key: "L", value: { n } }]);
      const total = async () => (await subscription.lag()).reduce((sum, p) => sum + p.lag, 0);
      const deadline = Date.now() + 20_000;
      while ((await total()) !== 3 && Date.now() < deadline) await Bun.sleep(20);
      expect(await total()).toBe(3);
      release.resolve();
      await waitFor(() => handled === 3, 30_000, "drain");
      const drained = Date.now() + 20_000;
      while ((await total()) !== 0 && Date.now() < drained) await Bun.sleep(20);
      expect(await total()).toBe(0);
      await subscription.stop();
    });
  });
};
