import type { DevSetup } from "./dev-setup.ts";
import { cpuSeconds, loadAverage } from "./proc.ts";
import { bucketDelta, buckets, scrape, total } from "./scrape.ts";

/** The writer's histogram of trade accepted by ingest -> durable. */
export const LATENCY = "end_to_end_latency_seconds";

/** What a dev setup did during a measured window, per second. */
export interface Window {
  stored: number;
  ingested: number;
  dropped: number;
  /** Cumulative buckets of `LATENCY{from="ingest"}` observed in the window. */
  latency: [number, number][];
  /** Cores used (1 = one core). */
  pipelineCpu: number;
  simulatorCpu: number;
  /** Full collections of the pipeline's heap budget (docs/adr/0011) per second, and their mean pause, ms. */
  heapBudget: { collections: number; pauseMs: number };
  /** 1-minute load average at the end. */
  load: number;
}

/**
 * Waits `warmUpSeconds`, then measures `seconds`: deltas of the pipeline's counters and both processes'
 * CPU. `wait` spends the window (a plain sleep by default; a caller may sample something meanwhile).
 */
export const measureWindow = async (
  setup: DevSetup,
  warmUpSeconds: number,
  seconds: number,
  wait: (ms: number) => Promise<void> = (ms) => Bun.sleep(ms),
): Promise<Window> => {
  await Bun.sleep(warmUpSeconds * 1_000);
  const read = async () => ({
    samples: await scrape(setup.pipeline.url),
    pipelineCpu: await cpuSeconds(setup.pipeline.pid),
    simulatorCpu: await cpuSeconds(setup.simulator.pid),
  });
  const before = await read();
  await wait(seconds * 1_000);
  const after = await read();
  const delta = (name: string) => total(after.samples, name) - total(before.samples, name);
  const ingest = { from: "ingest" };
  return {
    stored: delta("trades_stored_total") / seconds,
    ingested: delta("ingest_trades_total") / seconds,
    dropped: delta("ingest_dropped_trades_total") / seconds,
    latency: bucketDelta(buckets(before.samples, LATENCY, ingest), buckets(after.samples, LATENCY, ingest)),
    pipelineCpu: (after.pipelineCpu - before.pipelineCpu) / seconds,
    simulatorCpu: (after.simulatorCpu - before.simulatorCpu) / seconds,
    heapBudget: {
      collections: delta("heap_budget_collections_total") / seconds,
      pauseMs:
        (1_000 * delta("heap_budget_pause_seconds_sum")) /
        Math.max(1, delta("heap_budget_pause_seconds_count")),
    },
    load: await loadAverage(),
  };
};
