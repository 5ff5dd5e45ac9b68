import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type DeadLetter,
  type EndOfInput,
  isEndOfInput,
  type Trade,
  topics,
} from "../../../../src/modules/contracts/index.ts";
import { startIngest } from "../../../../src/modules/ingest/index.ts";
import { createRegistry } from "../../../../src/runtime/metrics/index.ts";
import { createMemoryTransport } from "../../../../src/runtime/transport/memory.ts";
import { tempFiles } from "../../replay/support.ts";
import { captureLogger, collect, ingestOptions, metricValue } from "../support.ts";

const GOLDEN = join(import.meta.dir, "../../../fixtures/aig-ibm-20131007.ndjson");
const PARTITIONS = 3;
const files = tempFiles();
afterAll(() => files.remove());

/** Replays `paths` to the end on a fresh memory transport; returns what reached each topic. */
const replay = async (paths: string[], env: Record<string, string> = {}, registry = createRegistry()) => {
  const transport = createMemoryTransport({ partitions: PARTITIONS, capacity: 5_000 });
  const log = captureLogger();
  const onTrades = await collect<Trade | EndOfInput>(transport, topics.trades);
  const onLetters = await collect<DeadLetter>(transport, topics.deadLetters);
  const handle = await startIngest({
    options: ingestOptions(env),
    source: { kind: "replay", files: paths },
    logger: log.logger,
    registry,
    transport,
  });
  try {
    await handle.done;
  } finally {
    await handle.stop();
    await transport.close();
  }
  const messages = onTrades.received;
  return {
    trades: messages.flatMap((m) => (isEndOfInput(m.value) ? [] : [m.value])),
    markers: messages.filter((m) => isEndOfInput(m.value)),
    letters: onLetters.values(),
    log,
    metric: (name: string, labels?: Record<string, string>) => metricValue(registry, name, labels),
  };
};

test("the golden file replays exactly its 49,644 trades, then an end marker on every partition", async () => {
  const { trades, markers, letters, metric } = await replay([GOLDEN]);
  expect(trades).toHaveLength(49_644);
  expect(letters).toEqual([]);
  expect(await metric("ingest_trades_total")).toBe(49_644);
  expect(markers.map((m) => m.partition).sort()).toEqual([0, 1, 2]);
  expect(markers.map((m) => m.value)).toEqual(Array(PARTITIONS).fill({ kind: "end", source: "replay" }));
  expect(new Set(trades.map((t) => t.id)).size).toBe(49_644);
  // seq is the position in the file, so same-millisecond ties break by file order.
  expect(trades.map((t) => t.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 49_644 }, (_, i) => i));
  expect(trades.every((t) => t.source === "replay:aig-ibm-20131007.ndjson")).toBe(true);
});

test("a replay hands the event loop back every few thousand trades, so what waits for a turn runs", async () => {
  // Read lines follow one another without a wait for I/O: without turns the whole file (49,644 trades,
  // under INGEST_MAX_PENDING) would be decoded and queued before the sink's publish, which waits for the
  // next turn, started.
  const registry = createRegistry();
  const pendingAtTurns: Promise<number>[] = [];
  let replaying = true;
  const everyTurn = () => {
    if (!replaying) return;
    pendingAtTurns.push(metricValue(registry, "ingest_pending_messages"));
    setImmediate(everyTurn);
  };
  setImmediate(everyTurn);
  const { trades } = await replay([GOLDEN], {}, registry).finally(() => {
    replaying = false;
  });
  expect(trades).toHaveLength(49_644);
  const pending = await Promise.all(pendingAtTurns);
  // A turn at least every 5,000 trades.
  expect(pending.length).toBeGreaterThanOrEqual(Math.floor(49_644 / 5_000));
  // A turn's 5,000 trades plus the frame that crossed the mark, and at most a turn's worth still publishing.
  expect(Math.max(...pending)).toBeLessThan(10_000);
});

test("replaying the same content twice, under any name, yields the same ids", async () => {
  const copy = files.write("copy.ndjson", readFileSync(GOLDEN, "utf8").split("\n").slice(0, 50).join("\n"));
  const first = await replay([copy]);
  const again = await replay([files.write("renamed.ndjson", readFileSync(copy, "utf8"))]);
  expect(first.trades.length).toBeGreaterThan(500);
  expect(again.trades.map((t) => [t.id, t.seq])).toEqual(first.trades.map((t) => [t.id, t.seq]));
});

test("a malformed line is reported with its line number, dead-lettered, and skipped", async () => {
  const golden = readFileSync(GOLDEN, "utf8").split("\n");
  const badTrade = JSON.stringify({
    type: "trade",
    data: [
      { s: "IBM", p: -1, t: 1, v: 1 },
      { s: "IBM", p: 1, t: 1, v: 1 },
    ],
  });
  const path = files.write(
    "bad.ndjson",
    [golden[0], golden[1], `{"type":"trade","data":[`, badTrade, golden[2]].join("\n"),
  );
  const expected = [golden[0], golden[1], golden[2]].reduce(
    (n, line) => n + JSON.parse(line!).data.length,
    0,
  );
  const { trades, letters, log, metric, markers } = await replay([path]);
  expect(trades).toHaveLength(expected + 1);
  expect(markers).toHaveLength(PARTITIONS);
  expect(log.messages()).toContain("bad.ndjson line 3 skipped: not_json");
  expect(log.messages()).toContain("bad.ndjson line 4 has rejected trades: price_invalid");
  expect(letters.map((l) => [l.reason, l.source])).toEqual([
    ["not_json", "replay:bad.ndjson"],
    ["price_invalid", "replay:bad.ndjson"],
  ]);
  expect(letters[0]!.message).toBe("bad.ndjson line 3: not_json");
  expect(letters[1]!.message).toMatch(/^bad\.ndjson line 4, frame [0-9a-f]{16}:4, trade 0: price_invalid$/);
  expect(letters[0]!.payload).toBe(`{"type":"trade","data":[`);
  expect(await metric("validation_errors_total", { reason: "not_json" })).toBe(1);
});

test("CSV trades replay with conditions, ids from file and line, and bad rows reported", async () => {
  const path = files.write(
    "day.csv",
    [
      "symbol,timestamp_ms,price,volume,conditions",
      "AAPL,1700000000000,189.5,100,1|12",
      "AAPL,1700000000000,oops,5",
      "MSFT,1700000000001,400,0",
    ].join("\n"),
  );
  const { trades, letters, log } = await replay([path]);
  expect(
    trades.map((t) => [t.symbol, t.price, t.volume, t.conditions, t.id.split(":").slice(1).join(":")]),
  ).toEqual([
    ["AAPL", 189.5, 100, ["1", "12"], "2:0"],
    ["MSFT", 400, 0, [], "4:0"],
  ]);
  expect(letters.map((l) => [l.reason, l.payload])).toEqual([["price_invalid", "AAPL,1700000000000,oops,5"]]);
  expect(log.messages()).toContain("day.csv line 3 skipped: price_invalid");
});

test("a missing file fails the replay with its name", async () => {
  await expect(replay([join(files.folder, "nope.ndjson")])).rejects.toThrow("replay file not found");
});
