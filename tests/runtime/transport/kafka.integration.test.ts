import { afterEach, beforeAll, expect, test } from "bun:test";
import { Registry } from "prom-client";
import type { DeadLetter } from "../../../src/modules/contracts/index.ts";
import type { Config } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createTransport, partitionFor, type Subscription } from "../../../src/runtime/transport/index.ts";
import { createKafkaTransport } from "../../../src/runtime/transport/kafka/index.ts";
import {
  deleteByPrefix,
  ensureKafka,
  kafkaTestConfig,
  rawKafka,
  startKafkaBroker,
  uniquePrefix,
} from "../../support/kafka.ts";
import { transportContract, waitFor } from "./contract.ts";
import { collect, eventually, metricTotal } from "./support.ts";

// The first run of a machine downloads Kafka; hooks have bun's short default timeout unless given one.
beforeAll(() => ensureKafka(), 300_000);

/** A Kafka transport on the shared broker with topics and groups of its own; `cleanup` deletes them. */
const kafkaTransport = async (name: string, env: Record<string, string> = {}) => {
  const { brokers } = await ensureKafka();
  const prefix = uniquePrefix(name);
  const registry = new Registry();
  const config = kafkaTestConfig(brokers, { KAFKA_TOPIC_PREFIX: prefix, PARTITIONS: "2", ...env });
  const transport = await createKafkaTransport({ config, logger: silentLogger(), registry });
  const cleanup = async () => {
    await transport.close();
    await deleteByPrefix(brokers, prefix);
  };
  return { transport, registry, prefix, brokers, config, cleanup };
};

let topics = 0;
transportContract("kafka", async () => ({
  ...(await kafkaTransport("contract", { PARTITIONS: "4" })),
  topic: () => `topic${++topics}`,
}));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const openTransport = async (name: string) => {
  const opened = await kafkaTransport(name);
  cleanups.push(opened.cleanup);
  return opened;
};

const totalLag = async (subscription: Subscription) =>
  (await subscription.lag()).reduce((sum, partition) => sum + partition.lag, 0);

test("TRANSPORT=kafka builds this backend, which reports the brokers in its health", async () => {
  const { brokers } = await ensureKafka();
  const config = kafkaTestConfig(brokers, { KAFKA_TOPIC_PREFIX: uniquePrefix("registry") });
  const transport = await createTransport({ config, logger: silentLogger(), registry: new Registry() });
  cleanups.push(() => transport.close());
  const health = await transport.health();
  expect(health.ok).toBe(true);
  expect(health.detail).toMatch(/^\d+ broker\(s\); 0 message\(s\) awaiting acknowledgement$/);
});

test("with manual commits a restarted member resumes from the committed offsets", async () => {
  const { transport, registry } = await openTransport("manual");
  // One publish each, one record each: every message has a position of its own.
  for (let n = 0; n < 30; n++) await transport.publish("trades", [{ key: `K${n % 5}`, value: { n } }]);

  const first = await collect(transport, "trades", "resume", { manualCommit: true });
  await waitFor(() => first.received.length === 30, 30_000, "first delivery");
  const tail: number[] = [];
  for (const partition of [0, 1]) {
    const mine = first.received.filter((message) => message.partition === partition);
    const half = Math.floor(mine.length / 2);
    const firstUncommitted = mine[half];
    if (firstUncommitted) await first.subscription.commit(partition, firstUncommitted.offset);
    tail.push(...mine.slice(half).map((message) => message.value.n));
  }
  await first.subscription.stop();

  const resumed = await collect(transport, "trades", "resume", { manualCommit: true });
  // Order per partition means an end marker on each partition arrives after any redelivery could.
  await transport.publish(
    "trades",
    [0, 1].map((partition) => ({ key: "end", value: { n: -1 }, partition })),
  );
  await waitFor(() => resumed.received.filter((m) => m.value.n === -1).length === 2, 30_000, "end markers");
  const redelivered = resumed.received.map((message) => message.value.n).filter((n) => n !== -1);
  expect(redelivered.sort((a, b) => a - b)).toEqual(tail.sort((a, b) => a - b));

  const uncommitted = tail.length + 2;
  await eventually(
    async () => (await metricTotal(registry, "kafka_consumer_lag")) === uncommitted,
    10_000,
    "lag",
  );
  await resumed.subscription.stop();
});

test("messages published together share a record: a batch never ends inside it, and it comes back whole", async () => {
  const { transport } = await openTransport("packed");
  const partition = partitionFor("P", 2);
  const batches: number[][] = [];
  const first = await transport.subscribe<{ n: number }>("trades", {
    group: "packed",
    manualCommit: true,
    maxBatch: 4,
    onBatch: async (batch) => void batches.push(batch.messages.map((message) => message.value.n)),
  });
  await transport.publish(
    "trades",
    Array.from({ length: 10 }, (_, n) => ({ key: "P", value: { n } })),
  );
  await waitFor(() => batches.flat().length === 10, 30_000, "10 messages");
  expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  await first.stop();
  // Nothing was acknowledged: a new member gets the record again, whole.
  const again = await collect<{ n: number }>(transport, "trades", "packed", {
    manualCommit: true,
    maxBatch: 4,
  });
  await waitFor(() => again.received.length === 10, 30_000, "the record again");
  expect(new Set(again.received.map((message) => message.offset)).size).toBe(1);
  expect(again.received[0]!.partition).toBe(partition);
  await again.subscription.stop();
});

test("a latest member commits no offsets and exports no lag series", async () => {
  const { transport, registry, prefix, brokers } = await openTransport("latest");
  const live = await collect(transport, "trades", "live", { start: "latest" });
  await transport.publish(
    "trades",
    Array.from({ length: 20 }, (_, n) => ({ key: `K${n % 5}`, value: { n } })),
  );
  await waitFor(() => live.received.length === 20, 30_000, "20 messages");
  await eventually(async () => (await totalLag(live.subscription)) === 0, 10_000, "lag 0");
  await live.subscription.stop();
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}live`, topics: [`${prefix}trades`] });
  await admin.disconnect();
  expect(offsets!.partitions.map((partition) => partition.offset)).toEqual(["-1", "-1"]);
  expect(await registry.getSingleMetric("kafka_consumer_lag")?.get()).toMatchObject({ values: [] });
});

test("a rebalance lets the batch in flight finish before revoking, and loses or repeats nothing", async () => {
  const { transport, prefix, brokers } = await openTransport("rebalance");
  const events: string[] = [];
  const gate = Promise.withResolvers<void>();
  const seen: number[] = [];
  let blocked = false;
  const first = await transport.subscribe<{ n: number }>("trades", {
    group: "g",
    onAssign: (partitions) => void events.push(`assign ${partitions.join(",")}`),
    onRevoke: (partitions) => void events.push(`revoke ${partitions.join(",")}`),
    onBatch: async (batch) => {
      if (!blocked) {
        blocked = true;
        events.push("batch started");
        await gate.promise;
        events.push("batch finished");
      }
      seen.push(...batch.messages.map((message) => message.value.n));
    },
  });
  await transport.publish(
    "trades",
    Array.from({ length: 100 }, (_, n) => ({ key: `K${n % 10}`, value: { n } })),
  );
  await waitFor(() => blocked, 30_000, "a batch in flight");

  const joining = collect(transport, "trades", "g");
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  await eventually(
    async () => (await admin.describeGroups([`${prefix}g`])).groups[0]?.state === "PreparingRebalance",
    30_000,
    "the rebalance to start",
  );
  await admin.disconnect();
  gate.resolve();
  const second = await joining;

  expect(events.slice(0, 4)).toEqual(["assign 0,1", "batch started", "batch finished", "revoke 0,1"]);
  await transport.publish(
    "trades",
    [0, 1].map((partition) => ({ key: "end", value: { n: -1 }, partition })),
  );
  const ends = () => [...seen, ...second.received.map((m) => m.value.n)].filter((n) => n === -1).length;
  await waitFor(() => ends() === 2, 30_000, "end markers");
  const all = [...seen, ...second.received.map((message) => message.value.n)].filter((n) => n !== -1);
  expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, n) => n));
  await Promise.all([first.stop(), second.subscription.stop()]);
});

test("a message that is not JSON goes to the dead-letter topic and the stream goes on", async () => {
  const { transport, registry, prefix, brokers, config } = await openTransport("dlq");
  const trades = await collect<{ n: number }>(transport, "trades", "reader");
  const letters = await collect<DeadLetter>(transport, "stock-trades-dlq", "dlq-reader");

  await transport.publish("trades", [{ key: "K", value: { n: 1 } }]);
  const producer = rawKafka(brokers).producer();
  await producer.connect();
  const partition = partitionFor("K", config.transport.partitions);
  await producer.send({ topic: `${prefix}trades`, messages: [{ key: "K", value: "{not json", partition }] });
  await producer.disconnect();
  await transport.publish("trades", [{ key: "K", value: { n: 2 } }]);

  await waitFor(
    () => trades.received.length === 2 && letters.received.length === 1,
    30_000,
    "trades and letter",
  );
  expect(trades.received.map((message) => message.value.n)).toEqual([1, 2]);
  expect(letters.received[0]!.value).toMatchObject({
    stage: "transport",
    reason: "not_json",
    payload: "{not json",
    source: `${prefix}trades`,
  });
  expect(await metricTotal(registry, "kafka_messages_undecodable_total")).toBe(1);
  await Promise.all([trades.subscription.stop(), letters.subscription.stop()]);
});

test("publishers wait while the broker is away and the send buffer is full, then resume", async () => {
  const broker = await startKafkaBroker();
  cleanups.push(() => broker.destroy());
  const registry = new Registry();
  const config: Config = kafkaTestConfig(broker.brokers, {
    KAFKA_TOPIC_PREFIX: "outage.",
    PARTITIONS: "2",
    KAFKA_SEND_BUFFER_MESSAGES: "5",
  });
  const transport = await createKafkaTransport({ config, logger: silentLogger(), registry });
  cleanups.push(() => transport.close());
  const reader = await collect<{ n: number }>(transport, "trades", "reader");
  await transport.publish("trades", [{ key: "A", value: { n: 0 } }]);
  await waitFor(() => reader.received.length === 1, 30_000, "first message");
  expect((await transport.health()).ok).toBe(true);
  await eventually(
    async () => (await totalLag(reader.subscription)) === 0,
    20_000,
    "committed first message",
  );
  const admin = rawKafka(broker.brokers).admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  const group = async () => (await admin.describeGroups(["outage.reader"])).groups[0];
  const member = (await group())?.members.map((one) => one.memberId);
  expect(member).toHaveLength(1);

  await broker.stop();
  const filling = transport.publish(
    "trades",
    [1, 2, 3, 4, 5].map((n) => ({ key: `K${n}`, value: { n } })),
  );
  let waitingDone = false;
  const waiting = transport.publish("trades", [{ key: "K6", value: { n: 6 } }]).then(() => {
    waitingDone = true;
  });
  await eventually(
    async () => (await metricTotal(registry, "kafka_messages_failed_total")) > 0,
    30_000,
    "failures",
  );
  expect(await metricTotal(registry, "kafka_send_buffer_messages")).toBe(5);
  expect(waitingDone).toBe(false);
  expect((await transport.health()).ok).toBe(false);

  await broker.start();
  await Promise.all([filling, waiting]);
  await waitFor(() => reader.received.length >= 7, 60_000, "every message after the outage");
  expect(reader.received.map((message) => message.value.n).sort((a, b) => a - b)).toEqual([
    0, 1, 2, 3, 4, 5, 6,
  ]);
  expect((await transport.health()).ok).toBe(true);
  // The consumer (which kafkajs restarts when the outage makes it crash) is still the member it was
  // (patches/kafkajs, docs/adr/0008): a new member id would have stalled the group until the broker
  // expired the old one.
  await eventually(async () => (await group())?.state === "Stable", 60_000, "a stable group");
  expect((await group())?.members.map((one) => one.memberId)).toEqual(member);
}, 180_000);
