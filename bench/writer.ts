/**
 * Writer throughput, memory transport -> writer -> SQLite: `bun bench/writer.ts [trades] [symbols]`.
 * Publishes processed trade messages (and one provisional bar update per symbol every 100 trades, about
 * what the processor sends at high rates) and reports trades/s until the end marker of every partition
 * is durable, and the CPU time per trade on the main thread (what the rest of the pipeline competes for)
 * and on all threads (the SQLite write thread included).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProcessedMessage, type Trade, topics } from "../src/modules/contracts/index.ts";
import { startWriter } from "../src/modules/writer/index.ts";
import { loadConfig } from "../src/runtime/config/index.ts";
import { RuntimeEvents } from "../src/runtime/events.ts";
import { silentLogger } from "../src/runtime/logger.ts";
import { createRegistry } from "../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../src/runtime/store/sqlite/index.ts";
import { createMemoryTransport } from "../src/runtime/transport/memory.ts";

const total = Number(process.argv[2] ?? 1_000_000);
const symbols = Number(process.argv[3] ?? 50);
const start = Date.UTC(2024, 2, 1, 14, 30);
const { config } = loadConfig();

const messages: { key: string; value: ProcessedMessage }[] = [];
for (let seq = 0; seq < total; seq++) {
  const symbol = `SYM${seq % symbols}`;
  const trade: Trade = {
    id: `replay:9f86d081884c7d65:${seq}`,
    symbol,
    price: 100 + (seq % 997) / 100,
    timestamp: start + Math.floor(seq / 3),
    volume: 100,
    conditions: ["1"],
    processed_at: Date.now(),
    source: "replay:bench",
    seq,
  };
  messages.push({ key: symbol, value: { kind: "trade", trade, outlier: false } });
  if (seq % 100 === 99) {
    const t = trade.timestamp - (trade.timestamp % 60_000);
    const bar = {
      symbol,
      t,
      T: t + 60_000,
      o: 100,
      h: 101,
      l: 99,
      c: 100,
      v: 1e4,
      n: 100,
      vw: 100,
      volatility: 1,
    };
    messages.push({
      key: symbol,
      value: {
        kind: "bar",
        bar: { ...bar, mean: 100, m2: 99, sum_pv: 1e6, final: false, rev: 0, updated_at: 0 },
      },
    });
  }
}

const folder = mkdtempSync(join(tmpdir(), "tickflow-bench-writer-"));
const path = join(folder, "bench.db");
migrateSqlite(path);
const registry = createRegistry();
const store = createSqliteStore({ path, registry });
const transport = createMemoryTransport({
  partitions: config.transport.partitions,
  capacity: config.transport.memoryCapacity,
});
const events = new RuntimeEvents();
const durable = new Set<number>();
const allDurable = Promise.withResolvers<void>();
events.on("input-durable", ({ partition }) => {
  durable.add(partition);
  if (durable.size === transport.partitions) allDurable.resolve();
});
const writer = await startWriter({
  options: config.writer,
  logger: silentLogger(),
  registry,
  transport,
  store,
  events,
  outlierExclude: config.processor.outlierExclude,
});

const began = performance.now();
const mainCpu = process.threadCpuUsage();
const allCpu = process.cpuUsage();
for (let i = 0; i < messages.length; i += 1_000)
  await transport.publish(topics.processed, messages.slice(i, i + 1_000));
await transport.publish(
  topics.processed,
  Array.from({ length: transport.partitions }, (_, partition) => ({
    key: "end",
    value: { kind: "end", source: "bench" },
    partition,
  })),
);
await allDurable.promise;
const seconds = (performance.now() - began) / 1_000;
const perTrade = ({ user, system }: { user: number; system: number }) => ((user + system) / total).toFixed(2);
const mainPerTrade = perTrade(process.threadCpuUsage(mainCpu));
const allPerTrade = perTrade(process.cpuUsage(allCpu));
console.log(
  `writer: ${total} trades (${symbols} symbols, batch ${config.writer.batchSize}, ${transport.partitions} partitions) ` +
    `durable in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} trades/s`,
);
const writes =
  (await registry.getSingleMetric("store_write_latency_seconds")?.get())?.values.find(
    (sample) => sample.labels.le === "+Inf" && sample.labels.kind === "trades",
  )?.value ?? 0;
console.log(`trade writes: ${writes}, ${Math.round(total / writes)} trades per transaction`);
console.log(`CPU per trade: main thread ${mainPerTrade} µs, all threads ${allPerTrade} µs`);
await writer.stop();
await transport.close();
await store.close();
rmSync(folder, { recursive: true, force: true });
