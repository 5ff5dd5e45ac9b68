/**
 * One quick run of the dev pipeline under load, for trying settings before a full benchmark:
 * `bun bench/probe-dev.ts [seconds] [rate] [symbols] [NAME=value ...]` (defaults 60, 50,000 and 5,000;
 * the NAME=value pairs are more environment for the pipeline, e.g. `HEAP_LIMIT_MB=0` or
 * `BUN_JSC_useGenerationalGC=0`). After a 10 s warm-up it prints one line: trades stored and dropped per
 * second, the pipeline's CPU, p50/p99 from ingest to durable, its heap budget's collections per second
 * and their mean pause, and its RSS (sampled every second: mean, 90th percentile and largest).
 */
import { benchSymbols, startDevSetup } from "./lib/dev-setup.ts";
import { measureWindow } from "./lib/dev-window.ts";
import { envArgs } from "./lib/env-args.ts";
import { memory } from "./lib/proc.ts";
import { quantile } from "./lib/scrape.ts";

const [seconds = 60, rate = 50_000, symbolCount = 5_000] = process.argv.slice(2, 5).map(Number);
const env = envArgs(process.argv.slice(5));
const WARM_UP_SECONDS = 10;
const SAMPLE_MS = 1_000;
const MIB = 2 ** 20;

const setup = await startDevSetup({ rate, symbols: benchSymbols(symbolCount), env });
try {
  const rss: number[] = [];
  const sampleRss = async (windowMs: number) => {
    const started = performance.now();
    for (let elapsed = SAMPLE_MS; elapsed <= windowMs; elapsed += SAMPLE_MS) {
      await Bun.sleep(Math.max(0, started + elapsed - performance.now()));
      rss.push((await memory(setup.pipeline.pid)).rss / MIB);
    }
  };
  const window = await measureWindow(setup, WARM_UP_SECONDS, seconds, sampleRss);
  const sorted = rss.toSorted((a, b) => a - b);
  const mean = rss.reduce((sum, v) => sum + v, 0) / rss.length;
  const ms = (q: number) => ((quantile(window.latency, q) ?? Number.NaN) * 1_000).toFixed(1);
  console.log(
    [
      `${rate}/s over ${symbolCount} symbols, ${JSON.stringify(env)}:`,
      `stored ${window.stored.toFixed(0)}/s, dropped ${window.dropped.toFixed(0)}/s,`,
      `CPU ${(window.pipelineCpu * 100).toFixed(0)}%, p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms,`,
      `heap budget ${window.heapBudget.collections.toFixed(1)}/s of ${window.heapBudget.pauseMs.toFixed(0)} ms,`,
      `RSS MiB mean ${mean.toFixed(0)} p90 ${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(0)} max ${sorted.at(-1)!.toFixed(0)}`,
    ].join(" "),
  );
} finally {
  await setup.stop();
}
