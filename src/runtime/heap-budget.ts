import { fullGC, heapSize } from "bun:jsc";
import type { Logger } from "./logger.ts";
import { Counter, Gauge, Histogram, metricsOf, type Registry } from "./metrics/index.ts";

/**
 * A soft limit on the JavaScript heap, like Go's GOMEMLIMIT (docs/adr/0011). JavaScriptCore sizes its
 * heap for throughput: objects that live a few hundred milliseconds (trades waiting for their commit)
 * outlive young-generation collections and pile up in the old generation until the heap is about three
 * times the live data, and the process's memory swings with it. The budget reads the heap size every
 * `checkMs` and runs a full collection when it is over `limitBytes`. A collection holds the event loop
 * (tens of milliseconds for a pipeline's heap), so the next one waits at least `minIntervalMs` and long
 * enough that collections take at most `maxShare` of the time: a live heap larger than the limit costs
 * that share and no more (and is logged), it is not an error.
 */
export interface HeapBudgetOptions {
  /** Heap bytes above which a full collection runs. */
  limitBytes: number;
  /** How often the heap size is read, ms. */
  checkMs: number;
  /** Shortest time between two collections, ms. */
  minIntervalMs: number;
  /** Most of the time the collections may take, e.g. 0.1. */
  maxShare: number;
}

/** The collector and clock the budget works with; the real ones by default, fakes in tests. */
export interface HeapControls {
  /** Bytes of the heap now, garbage included. */
  heapSize(): number;
  /** A full, synchronous collection. */
  collect(): void;
  /** Milliseconds, monotonic. */
  now(): number;
}

const MIB = 2 ** 20;

export const bunHeap: HeapControls = { heapSize, collect: fullGC, now: () => performance.now() };

export interface Collection {
  /** Heap bytes before and after. */
  before: number;
  after: number;
  /** Milliseconds the collection took (the event loop waited that long). */
  pauseMs: number;
  /** Milliseconds until the next collection may run. */
  waitMs: number;
}

export class HeapBudget {
  readonly #options: HeapBudgetOptions;
  readonly #heap: HeapControls;
  #next = Number.NEGATIVE_INFINITY;

  constructor(options: HeapBudgetOptions, heap: HeapControls = bunHeap) {
    this.#options = options;
    this.#heap = heap;
  }

  /** Collects if the heap is over the limit and the last collection is far enough back. */
  check(): Collection | undefined {
    const heap = this.#heap;
    const started = heap.now();
    if (started < this.#next) return undefined;
    const before = heap.heapSize();
    if (before <= this.#options.limitBytes) return undefined;
    heap.collect();
    const ended = heap.now();
    const pauseMs = ended - started;
    const waitMs = Math.max(this.#options.minIntervalMs, pauseMs / this.#options.maxShare);
    this.#next = ended + waitMs;
    return { before, after: heap.heapSize(), pauseMs, waitMs };
  }
}

const heapBudgetMetrics = (registry: Registry) => ({
  collections: new Counter({
    name: "heap_budget_collections_total",
    help: "Full collections run because the heap was over HEAP_LIMIT_MB",
    registers: [registry],
  }),
  pause: new Histogram({
    name: "heap_budget_pause_seconds",
    help: "How long a collection of the heap budget held the event loop",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  }),
  alive: new Gauge({
    name: "heap_budget_alive_bytes",
    help: "Heap bytes left after the latest collection of the heap budget",
    registers: [registry],
  }),
});

/**
 * Runs a budget every `options.checkMs` until the returned function is called; reports each collection
 * on the metrics and warns once when what is alive is over the limit.
 */
export const startHeapBudget = (
  options: HeapBudgetOptions,
  deps: { registry: Registry; logger: Logger; heap?: HeapControls },
): (() => void) => {
  const budget = new HeapBudget(options, deps.heap);
  const metrics = metricsOf(deps.registry, heapBudgetMetrics);
  let over = false;
  const timer = setInterval(() => {
    const collection = budget.check();
    if (!collection) return;
    metrics.collections.inc();
    metrics.pause.observe(collection.pauseMs / 1_000);
    metrics.alive.set(collection.after);
    const nowOver = collection.after > options.limitBytes;
    if (nowOver && !over) {
      deps.logger.warn(
        { aliveMb: Math.round(collection.after / MIB), limitMb: Math.round(options.limitBytes / MIB) },
        "more is alive than HEAP_LIMIT_MB: collections are spaced by their cost; raise the limit if this lasts",
      );
    }
    over = nowOver;
  }, options.checkMs);
  timer.unref();
  return () => clearInterval(timer);
};
