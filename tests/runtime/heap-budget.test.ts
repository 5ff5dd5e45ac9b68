import { fullGC, heapSize } from "bun:jsc";
import { expect, test } from "bun:test";
import { bunHeap, HeapBudget, type HeapControls, startHeapBudget } from "../../src/runtime/heap-budget.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { waitFor } from "./transport/contract.ts";

const MIB = 2 ** 20;

/** A heap of `size` bytes whose collection leaves `alive` and takes `pauseMs` of a hand-driven clock. */
const fakeHeap = (size: number, alive: number, pauseMs = 10) => {
  const heap = { size, alive, clock: 0, collections: 0 };
  const controls: HeapControls = {
    heapSize: () => heap.size,
    collect: () => {
      heap.collections++;
      heap.clock += pauseMs;
      heap.size = heap.alive;
    },
    now: () => heap.clock,
  };
  return Object.assign(heap, { controls });
};

/** A registry and a logger whose warnings are kept, for a running budget. */
const observed = () => {
  const warnings: string[] = [];
  const logger = createLogger({
    level: "warn",
    format: "json",
    destination: { write: (line: string) => void warnings.push(line) },
  });
  return { registry: createRegistry(), logger, warnings };
};

const options = { limitBytes: 100 * MIB, checkMs: 100, minIntervalMs: 1_000, maxShare: 0.05 };

test("a heap under the limit is left alone", () => {
  const heap = fakeHeap(99 * MIB, 50 * MIB);
  expect(new HeapBudget(options, heap.controls).check()).toBeUndefined();
  expect(heap.collections).toBe(0);
});

test("a heap over the limit is collected and the collection reported", () => {
  const heap = fakeHeap(150 * MIB, 60 * MIB, 30);
  expect(new HeapBudget(options, heap.controls).check()).toEqual({
    before: 150 * MIB,
    after: 60 * MIB,
    pauseMs: 30,
    waitMs: 1_000,
  });
  expect(heap.collections).toBe(1);
});

test("collections are at least minIntervalMs apart", () => {
  const heap = fakeHeap(150 * MIB, 60 * MIB, 10);
  const budget = new HeapBudget(options, heap.controls);
  budget.check();
  heap.size = 150 * MIB;
  heap.clock += 980;
  expect(budget.check()).toBeUndefined();
  heap.clock += 20;
  expect(budget.check()).toBeDefined();
  expect(heap.collections).toBe(2);
});

test("a live heap over the limit costs at most maxShare of the time, not a collection per check", () => {
  // Everything is alive: each collection frees nothing and takes 200 ms.
  const heap = fakeHeap(150 * MIB, 150 * MIB, 200);
  const budget = new HeapBudget(options, heap.controls);
  expect(budget.check()?.waitMs).toBe(4_000);
  let collecting = 0;
  const started = heap.clock;
  for (let step = 0; step < 600; step++) {
    heap.clock += options.checkMs;
    if (budget.check()) collecting += 200;
  }
  expect(collecting / (heap.clock - started)).toBeLessThanOrEqual(options.maxShare);
  expect(heap.collections).toBeGreaterThan(1);
});

test("on the real heap, garbage over the limit is collected by the running budget", async () => {
  const { registry, logger, warnings } = observed();
  fullGC();
  const limitBytes = heapSize() + 10 * MIB;
  const stop = startHeapBudget(
    { limitBytes, checkMs: 5, minIntervalMs: 50, maxShare: 0.5 },
    { registry, logger },
  );
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
  try {
    const deadline = Date.now() + 10_000;
    while ((await metric("heap_budget_collections_total")) === 0) {
      if (Date.now() > deadline) throw new Error("timed out waiting for a collection");
      // About 20 MB alive while it is built (so it outlives young-generation collections), garbage by
      // the time the budget looks (unless the runtime's own collector gets there first: then again).
      expect(Array.from({ length: 300_000 }, (_, i) => ({ i, s: `item ${i}` }))).toHaveLength(300_000);
      await Bun.sleep(20);
    }
    expect(await metric("heap_budget_alive_bytes")).toBeLessThan(limitBytes);
    expect(warnings).toEqual([]);
  } finally {
    stop();
  }
});

test("more alive than the limit is logged once as a warning", async () => {
  const { registry, logger, warnings } = observed();
  const heap = fakeHeap(150 * MIB, 120 * MIB, 1);
  heap.controls.now = () => performance.now();
  const stop = startHeapBudget(
    { limitBytes: 100 * MIB, checkMs: 5, minIntervalMs: 10, maxShare: 0.5 },
    { registry, logger, heap: heap.controls },
  );
  try {
    await waitFor(() => heap.collections >= 3, 5_000, "three collections");
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ aliveMb: 120, limitMb: 100 });
  } finally {
    stop();
  }
});

test("the real controls read the heap and collect it", () => {
  expect(bunHeap.heapSize()).toBeGreaterThan(0);
  bunHeap.collect();
  expect(bunHeap.now()).toBeGreaterThan(0);
});
