import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Admin } from "kafkajs";
import { commands } from "../../src/cli/index.ts";
import { loadConfig } from "../../src/runtime/config/index.ts";
import { silentLogger } from "../../src/runtime/logger.ts";
import { rewindGroup } from "../../src/runtime/transport/kafka/rewind.ts";
import { eventually } from "../runtime/transport/support.ts";
import { deleteByPrefix, ensureKafka, rawKafka, uniquePrefix } from "../support/kafka.ts";

// The first run of a machine downloads Kafka; hooks have bun's short default timeout unless given one.
beforeAll(() => ensureKafka(), 300_000);

const prefix = uniquePrefix("rewind");
const topic = `${prefix}stock-trades`;
const groupId = `${prefix}tickflow-processor`;
/** Ten messages a second apart on each of two partitions, stamped from here on. */
const T0 = Date.now() - 600_000;
let brokers: string[];
let admin: Admin;

const env = () => ({ KAFKA_BROKERS: brokers.join(","), KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: "silent" });
const runRewind = (...argv: string[]) => commands.rewind(loadConfig(argv, env()));
const committed = async () => {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets!.partitions.sort((a, b) => a.partition - b.partition).map((entry) => Number(entry.offset));
};

beforeAll(async () => {
  ({ brokers } = await ensureKafka());
  admin = rawKafka(brokers).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
  const producer = rawKafka(brokers).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [0, 1].flatMap((partition) =>
      Array.from({ length: 10 }, (_, i) => ({
        partition,
        value: `m${i}`,
        timestamp: String(T0 + i * 1_000),
      })),
    ),
  });
  await producer.disconnect();
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [
      { partition: 0, offset: "10" },
      { partition: 1, offset: "3" },
    ],
  });
}, 60_000);

afterAll(async () => {
  await admin?.disconnect();
  if (brokers) await deleteByPrefix(brokers, prefix);
});

const to = new Date(T0 + 5_000).toISOString();

test("rewind needs a known group and a time", async () => {
  await expect(runRewind("--to", to)).rejects.toThrow("rewind needs --group");
  await expect(runRewind("--group", "someone-else", "--to", to)).rejects.toThrow("rewind needs --group");
  await expect(runRewind("--group", "tickflow-processor")).rejects.toThrow("rewind needs --group");
});

test("a dry run plans each partition back to its first message at the time, and commits nothing", async () => {
  const result = await rewindGroup({
    kafka: loadConfig([], env()).config.kafka,
    logger: silentLogger(),
    group: "tickflow-processor",
    topic: "stock-trades",
    to: T0 + 5_000,
    dryRun: true,
  });
  expect(result).toEqual({
    status: "planned",
    groupId,
    topic,
    partitions: [
      { partition: 0, committed: 10, target: 5, moves: true },
      { partition: 1, committed: 3, target: 5, moves: false },
    ],
  });
  expect(await runRewind("--group", "tickflow-processor", "--to", to, "--dry-run")).toBe(0);
  expect(await committed()).toEqual([10, 3]);
});

test("refuses, and changes nothing, while a consumer is a member of the group", async () => {
  const consumer = rawKafka(brokers).consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 300 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ autoCommit: false, eachBatch: async () => {} });
    await eventually(
      async () => (await admin.describeGroups([groupId])).groups[0]?.state === "Stable",
      20_000,
      "the consumer joined",
    );
    expect(await runRewind("--group", "tickflow-processor", "--to", to)).toBe(1);
    expect(await committed()).toEqual([10, 3]);
  } finally {
    await consumer.disconnect();
  }
});

test("moves a stopped group back to the time, never forward", async () => {
  expect(await runRewind("--group", "tickflow-processor", "--to", to)).toBe(0);
  expect(await committed()).toEqual([5, 3]);
});
