import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accumulateTrades, MINUTE_MS, toBar } from "../../../src/modules/bars/index.ts";
import { type Bar, type ProcessedMessage, type Trade, topics } from "../../../src/modules/contracts/index.ts";
import { startWriter } from "../../../src/modules/writer/index.ts";
import type { Config } from "../../../src/runtime/config/index.ts";
import { RuntimeEvents } from "../../../src/runtime/events.ts";
import type { ModuleHandle } from "../../../src/runtime/lifecycle.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry, type Registry } from "../../../src/runtime/metrics/index.ts";
import type { Store } from "../../../src/runtime/store/index.ts";
import { createSqliteStore, migrateSqlite } from "../../../src/runtime/store/sqlite/index.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import type { Transport } from "../../../src/runtime/transport/types.ts";

export { makeTrade, stored } from "../../runtime/store/contract.ts";

/** 2024-03-01T14:30:00Z, a minute boundary. */
export const T0 = Date.UTC(2024, 2, 1, 14, 30);

/** The bar the processor would send for these trades. */
export const barOf = (trades: readonly Trade[], final: boolean, rev = 0): Bar => {
  const { symbol, timestamp } = trades[0]!;
  const t = timestamp - (timestamp % MINUTE_MS);
  return toBar(accumulateTrades(trades), { symbol, t, T: t + MINUTE_MS, final, rev, updatedAt: Date.now() });
};

export const tradeMessage = (trade: Trade): ProcessedMessage => ({ kind: "trade", trade, outlier: false });
export const barMessage = (bar: Bar): ProcessedMessage => ({ kind: "bar", bar });

export const metricTotal = async (registry: Registry, name: string) => {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => !("le" in v.labels)).reduce((sum, v) => sum + v.value, 0);
};

/** Polls an async condition until it holds; fails after `timeoutMs`. */
export const until = async (condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
};

export interface WriterHarness {
  path: string;
  store: Store;
  transport: Transport;
  registry: Registry;
  events: RuntimeEvents;
  handle: ModuleHandle;
  /** Moves the writer's clock (the bar state cache expires by it). */
  advanceClock(ms: number): void;
  /** Publishes processed messages keyed by symbol. */
  publish(messages: readonly unknown[]): Promise<void>;
  /** Sends an end marker to every partition and waits until the writer announced each durable. */
  flush(): Promise<void>;
  cleanup(): Promise<void>;
}

const symbolOf = (message: unknown) => {
  const m = message as { trade?: { symbol?: string }; bar?: { symbol?: string }; symbol?: string };
  return m.trade?.symbol ?? m.bar?.symbol ?? m.symbol ?? "none";
};

let flushes = 0;

/** A view of the real store that counts the writer's reads of stored trades (recomputations). */
export const countingTradeReads = () => {
  const counter = { reads: 0 };
  const view = (store: Store): Store => ({
    ...store,
    tradesBetween: (...args) => {
      counter.reads++;
      return store.tradesBetween(...args);
    },
  });
  return { counter, view };
};

/** Small batches, quick retries; every provisional update stored unless a test paces them. */
export const writerDefaults: Config["writer"] = {
  batchSize: 500,
  retryInitialMs: 10,
  retryMaxMs: 100,
  barStateTtlMs: 60_000,
  provisionalStoreIntervalMs: 0,
};

export const startHarness = async (
  /** Writer options, and whether recomputed bars leave outliers out (default: no, as by default). */
  options: Partial<Config["writer"]> & { outlierExclude?: boolean } = {},
  transportOptions = { partitions: 2, capacity: 1_000 },
  /** What the writer sees of the store (the harness keeps the real one). */
  view: (store: Store) => Store = (store) => store,
): Promise<WriterHarness> => {
  const folder = mkdtempSync(join(tmpdir(), "tickflow-writer-"));
  const path = join(folder, "writer.db");
  migrateSqlite(path);
  const registry = createRegistry();
  const store = createSqliteStore({ path, registry });
  const transport = createMemoryTransport(transportOptions);
  const events = new RuntimeEvents();
  let now = Date.now();
  const { outlierExclude = false, ...writerOptions } = options;
  const handle = await startWriter({
    options: { ...writerDefaults, ...writerOptions },
    logger: silentLogger(),
    registry,
    transport,
    store: view(store),
    events,
    outlierExclude,
    clock: () => now,
  });
  const publish = (messages: readonly unknown[]) =>
    transport.publish(
      topics.processed,
      messages.map((value) => ({ key: symbolOf(value), value })),
    );
  const flush = async () => {
    const source = `flush-${++flushes}`;
    const pending = new Set(Array.from({ length: transport.partitions }, (_, p) => p));
    const done = Promise.withResolvers<void>();
    const off = events.on("input-durable", (event) => {
      if (event.source !== source) return;
      pending.delete(event.partition);
      if (pending.size === 0) done.resolve();
    });
    await transport.publish(
      topics.processed,
      [...pending].map((partition) => ({ key: "end", value: { kind: "end", source }, partition })),
    );
    const timer = setTimeout(() => done.reject(new Error(`${source} not durable within 20 s`)), 20_000);
    try {
      await done.promise;
    } finally {
      clearTimeout(timer);
      off();
    }
  };
  return {
    path,
    store,
    transport,
    registry,
    events,
    handle,
    advanceClock: (ms) => {
      now += ms;
    },
    publish,
    flush,
    cleanup: async () => {
      await handle.stop();
      await transport.close();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
};
