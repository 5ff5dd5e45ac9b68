/**
 * One quick run of the dev pipeline under load, for trying settings before a full benchmark:
 * `bun bench/probe-dev.ts [seconds] [rate] [symbols] [NAME=value ...]` (defaults 60, 50,000 and 5,000;
 * the NAME=value pairs are more environment for the pipeline, e.g. `HEAP_LIMIT_MB=0` or
 * `BUN_JSC_useGenerationalGC=0`). After a 10 s warm-up it prints one line: trades stored and dropped per
 * second, the pipeline's CPU, p50/p99 from ingest to durable, and its RSS every 5 s.
 */
import { benchSymbols, startDevSetup } from "./lib/dev-setup.ts";
import { cpuSeconds, memory } from "./lib/proc.ts";
import { bucketDelta, buckets, quantile, scrape, total } from "./lib/scrape.ts";

const [seconds = 60, rate = 50_000, symbolCount = 5_000] = process.argv.slice(2, 5).map(Number);
const env = Object.fromEntries(process.argv.slice(5).map((pair) => pair.split("=", 2) as [string, string]));
const WARM_UP_MS = 10_000;
const SAMPLE_MS = 5_000;
const LATENCY = "end_to_end_latency_seconds";
const MIB = 2 ** 20;

const setup = await startDevSetup({ rate, symbols: benchSymbols(symbolCount), env });
try {
  await Bun.sleep(WARM_UP_MS);
  const before = await scrape(setup.pipeline.url);
  const cpuBefore = await cpuSeconds(setup.pipeline.pid);
  const started = performance.now();
  const rss: number[] = [];
  for (let elapsed = SAMPLE_MS; elapsed <= seconds * 1_000; elapsed += SAMPLE_MS) {
    await Bun.sleep(Math.max(0, started + elapsed - performance.now()));
    rss.push((await memory(setup.pipeline.pid)).rss / MIB);
  }
  const after = await scrape(setup.pipeline.url);
  const window = (performance.now() - started) / 1_000;
  const perSecond = (name: string) => ((total(after, name) - total(before, name)) / window).toFixed(0);
  const latency = bucketDelta(
    buckets(before, LATENCY, { from: "ingest" }),
    buckets(after, LATENCY, { from: "ingest" }),
  );
  const ms = (q: number) => ((quantile(latency, q) ?? Number.NaN) * 1_000).toFixed(1);
  const cpu = ((await cpuSeconds(setup.pipeline.pid)) - cpuBefore) / window;
  console.log(
    [
      `${rate}/s over ${symbolCount} symbols, ${JSON.stringify(env)}:`,
      `stored ${perSecond("trades_stored_total")}/s, dropped ${perSecond("ingest_dropped_trades_total")}/s,`,
      `CPU ${(cpu * 100).toFixed(0)}%, p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms,`,
      `heap budget collections ${total(after, "heap_budget_collections_total") - total(before, "heap_budget_collections_total")},`,
      `RSS MiB min ${Math.min(...rss).toFixed(0)} max ${Math.max(...rss).toFixed(0)}: ${rss.map((v) => v.toFixed(0)).join(" ")}`,
    ].join(" "),
  );
} finally {
  await setup.stop();
}
