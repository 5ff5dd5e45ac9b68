import { expect, test } from "bun:test";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { transportContract, waitFor } from "./contract.ts";

let counter = 0;
transportContract("memory", async () => {
  const transport = createMemoryTransport({ partitions: 4, capacity: 1_000 });
  return { transport, topic: () => `t${++counter}`, cleanup: () => transport.close() };
});

test("a full partition makes the publisher wait until a consumer makes room", async () => {
  const transport = createMemoryTransport({ partitions: 1, capacity: 2 });
  const gate = Promise.withResolvers<void>();
  const seen: number[] = [];
  await transport.subscribe<number>("t", {
    group: "slow",
    maxBatch: 1,
    onBatch: async (batch) => {
      await gate.promise;
      seen.push(...batch.messages.map((m) => m.value));
    },
  });
  let published = false;
  const publishing = transport
    .publish(
      "t",
      [1, 2, 3, 4].map((value) => ({ key: "k", value })),
    )
    .then(() => {
      published = true;
    });
  await Bun.sleep(30);
  expect(published).toBe(false);
  gate.resolve();
  await publishing;
  await waitFor(() => seen.length === 4);
  expect(seen).toEqual([1, 2, 3, 4]);
  await transport.close();
});

test("a topic without subscribers keeps only its latest messages and never blocks", async () => {
  const transport = createMemoryTransport({ partitions: 1, capacity: 3 });
  await transport.publish(
    "dlq",
    [1, 2, 3, 4, 5].map((value) => ({ key: "k", value })),
  );
  const seen: number[] = [];
  await transport.subscribe<number>("dlq", {
    group: "late",
    onBatch: async (batch) => {
      seen.push(...batch.messages.map((m) => m.value));
    },
  });
  await waitFor(() => seen.length === 3);
  expect(seen).toEqual([3, 4, 5]);
  await transport.close();
});

test("a latest group holds no messages back once its last member stopped", async () => {
  const transport = createMemoryTransport({ partitions: 1, capacity: 2 });
  const live = await transport.subscribe<number>("t", {
    group: "live",
    start: "latest",
    onBatch: async () => {},
  });
  await live.stop();
  let published = false;
  void transport
    .publish(
      "t",
      [1, 2, 3, 4, 5].map((value) => ({ key: "k", value })),
    )
    .then(() => {
      published = true;
    });
  await waitFor(() => published, 5_000, "publishing past the capacity");
  await transport.close();
});

test("a subscriber that stops first consumes what its partitions already hold: nothing is dropped", async () => {
  const transport = createMemoryTransport({ partitions: 2, capacity: 1_000 });
  const seen: number[] = [];
  const subscription = await transport.subscribe<number>("t", {
    group: "draining",
    maxBatch: 10,
    onBatch: async (batch) => {
      await Bun.sleep(2);
      seen.push(...batch.messages.map((m) => m.value));
    },
  });
  const values = Array.from({ length: 200 }, (_, n) => n);
  await transport.publish(
    "t",
    values.map((value) => ({ key: `k${value % 7}`, value })),
  );
  await subscription.stop();
  expect(seen.sort((a, b) => a - b)).toEqual(values);
  await transport.close();
});
