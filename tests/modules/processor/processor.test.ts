import { afterEach, expect, test } from "bun:test";
import type { DeadLetter, ProcessedMessage, Trade } from "../../../src/modules/contracts/index.ts";
import { topics } from "../../../src/modules/contracts/index.ts";
import { startProcessor } from "../../../src/modules/processor/index.ts";
import type { ModuleHandle } from "../../../src/runtime/lifecycle.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import type { IncomingMessage, Transport } from "../../../src/runtime/transport/index.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import { processorOptions, trade } from "./support.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 30);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const collect = async <T>(transport: Transport, topic: string) => {
  const received: IncomingMessage<T>[] = [];
  await transport.subscribe<T>(topic, {
    group: "test-reader",
    onBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  return received;
};

const setup = async (partitions: number) => {
  const transport = createMemoryTransport({ partitions, capacity: 1_000 });
  const registry = createRegistry();
  const processed = await collect<ProcessedMessage>(transport, topics.processed);
  const deadLetters = await collect<DeadLetter>(transport, topics.deadLetters);
  const processor: ModuleHandle = await startProcessor({
    options: processorOptions({ provisionalIntervalMs: 0 }),
    logger: silentLogger(),
    registry,
    transport,
  });
  cleanups.push(async () => {
    await processor.stop();
    await transport.close();
  });
  const endAll = () =>
    transport.publish(
      topics.trades,
      Array.from({ length: partitions }, (_, partition) => ({
        key: "replay",
        value: { kind: "end", source: "replay:test" },
        partition,
      })),
    );
  const ended = () => processed.filter((m) => m.value.kind === "end").length === partitions;
  return { transport, registry, processed, deadLetters, endAll, ended };
};

test("bad values on the bus go to dead letters with their payload, are counted, and the stream goes on", async () => {
  const { transport, registry, processed, deadLetters, endAll, ended } = await setup(1);
  const good = (seq: number): Trade => trade({ symbol: "IBM", timestamp: T0 + seq, seq, price: 180 + seq });
  const bad: unknown[] = ["not a trade", { ...good(9), price: -1 }, null, { ...good(9), conditions: "1" }];
  await transport.publish(
    topics.trades,
    [good(0), ...bad, good(1)].map((value) => ({ key: "IBM", value })),
  );
  await endAll();
  await waitFor(ended, 5_000, "end marker");

  expect(deadLetters.map((m) => [m.value.stage, m.value.reason, m.value.payload])).toEqual([
    ["processor", "not_object", '"not a trade"'],
    ["processor", "price_invalid", JSON.stringify(bad[1])],
    ["processor", "not_object", "null"],
    ["processor", "conditions_invalid", JSON.stringify(bad[3])],
  ]);
  const trades = processed.flatMap((m) => (m.value.kind === "trade" ? [m.value.trade.seq] : []));
  expect(trades).toEqual([0, 1]);
  const bars = processed.flatMap((m) => (m.value.kind === "bar" && m.value.bar.final ? [m.value.bar] : []));
  expect(bars).toMatchObject([{ symbol: "IBM", t: T0, n: 2, o: 180, c: 181, final: true }]);

  const counted = await registry.getSingleMetric("dead_letters_total")!.get();
  const byReason = Object.fromEntries(
    counted.values.map((v) => [`${v.labels.stage}/${v.labels.reason}`, v.value]),
  );
  expect(byReason).toEqual({
    "processor/not_object": 2,
    "processor/price_invalid": 1,
    "processor/conditions_invalid": 1,
  });
  const total = await registry.getSingleMetric("processor_trades_total")!.get();
  expect(total.values[0]!.value).toBe(2);
});

test("every partition's end marker closes its bars and is forwarded on the same partition", async () => {
  const { transport, processed, endAll, ended } = await setup(3);
  const symbols = ["AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "META"];
  await transport.publish(
    topics.trades,
    symbols.map((symbol, seq) => ({ key: symbol, value: trade({ symbol, timestamp: T0 + seq, seq }) })),
  );
  await endAll();
  await waitFor(ended, 5_000, "end markers");

  for (const symbol of symbols) {
    const ofSymbol = processed.filter((m) => m.key === symbol).map((m) => m.value);
    expect(ofSymbol.map((m) => (m.kind === "bar" ? `bar:${m.bar.final}` : m.kind))).toEqual([
      "trade",
      "bar:false",
      "bar:true",
    ]);
  }
  for (const end of processed.filter((m) => m.value.kind === "end")) {
    const before = processed.filter((m) => m.partition === end.partition && m.offset < end.offset);
    const finals = before.filter((m) => m.value.kind === "bar" && m.value.bar.final).map((m) => m.key);
    const trades = before.filter((m) => m.value.kind === "trade").map((m) => m.key);
    expect(finals.sort()).toEqual(trades.sort());
  }
  expect(new Set(processed.filter((m) => m.value.kind === "end").map((m) => m.partition))).toEqual(
    new Set([0, 1, 2]),
  );
});
