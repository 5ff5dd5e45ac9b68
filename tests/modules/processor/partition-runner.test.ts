import { afterEach, expect, test } from "bun:test";
import { topics } from "../../../src/modules/contracts/index.ts";
import { PartitionRunner } from "../../../src/modules/processor/partition-runner.ts";
import { createEngineStats } from "../../../src/modules/processor/stats.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import { processorOptions, trade } from "./support.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 30);
const transports: ReturnType<typeof createMemoryTransport>[] = [];
afterEach(async () => {
  for (const transport of transports.splice(0)) await transport.close();
});

const runnerOn = (capacity: number) => {
  const transport = createMemoryTransport({ partitions: 1, capacity });
  transports.push(transport);
  const commits: number[] = [];
  const runner = new PartitionRunner(0, {
    options: processorOptions({ allowedLatenessMs: 0, provisionalIntervalMs: 60_000 }),
    transport,
    stats: createEngineStats(),
    clock: () => 0,
    logger: silentLogger(),
    commit: async (_, nextOffset) => {
      commits.push(nextOffset);
    },
    onDeadLetter: () => {},
  });
  return { transport, runner, commits };
};

const at = (offset: number, value: unknown) => ({ offset, value });

test("commits stop at the oldest trade of a still-open bar and move on once it is final", async () => {
  const { runner, commits } = runnerOn(100);
  await runner.consume([
    at(0, trade({ symbol: "A", timestamp: T0, seq: 0 })),
    at(1, trade({ symbol: "B", timestamp: T0 + 1, seq: 1 })),
  ]);
  expect(commits).toEqual([0]);
  await runner.consume([at(2, trade({ symbol: "A", timestamp: T0 + 60_000, seq: 2 }))]);
  expect(commits).toEqual([0, 1]);
  await runner.consume([at(3, "garbage")]);
  expect(commits).toEqual([0, 1]);
  await runner.consume([at(4, { kind: "end", source: "replay:t" })]);
  expect(commits).toEqual([0, 1, 5]);
});

test("nothing is committed before the derived messages are published", async () => {
  const { transport, runner, commits } = runnerOn(2);
  const gate = Promise.withResolvers<void>();
  let delivered = 0;
  await transport.subscribe(topics.processed, {
    group: "stalled-writer",
    onBatch: (batch) => {
      delivered += batch.messages.length;
      return gate.promise;
    },
  });
  const trades = [0, 1, 2, 3].map((seq) =>
    at(seq, trade({ symbol: "A", timestamp: T0 + seq * 60_000, seq })),
  );
  let done = false;
  const consuming = runner.consume(trades).then(() => {
    done = true;
  });
  // The writer holds its first batch: the partition is full and the rest of the publish waits.
  await waitFor(() => delivered > 0, 5_000, "first batch");
  expect(done).toBe(false);
  expect(commits).toEqual([]);
  gate.resolve();
  await consuming;
  await waitFor(() => commits.length > 0, 5_000, "commit");
  expect(commits).toEqual([3]);
});
