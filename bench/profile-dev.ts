/**
 * Profiles dev mode under load: `bun bench/profile-dev.ts [rate] [seconds] [symbols] [--threads-only]`
 * starts the setup of bench/dev-e2e.bench.ts (simulator in its own process at `rate` trades/s, 0 =
 * unthrottled) with the pipeline under `bun --cpu-prof-md`, and prints what the pipeline did in the window,
 * the CPU each of its threads used, and the share of wall time the SQLite write thread spent inserting and
 * committing (`sqlite_write_thread_busy_seconds_total`; idle the rest). The main thread's profile lands in
 * `$TMPDIR/tickflow-profiles/dev-<rate>.md` when the pipeline exits. `--threads-only` runs the pipeline
 * without the profiler (whose sampling costs the main thread a share of its time): the same readings,
 * no profile.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchSymbols, startDevSetup } from "./lib/dev-setup.ts";
import { threadCpuSeconds } from "./lib/proc.ts";
import { bucketDelta, buckets, quantile, type Sample, scrape, total } from "./lib/scrape.ts";

const threadsOnly = process.argv.includes("--threads-only");
const [rate = 50_000, seconds = 20, symbolCount = 50] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith("--"))
  .map(Number);
const symbols = benchSymbols(symbolCount);
const profiles = join(tmpdir(), "tickflow-profiles");

const setup = await startDevSetup({
  rate,
  symbols,
  bunFlags: threadsOnly
    ? []
    : ["--cpu-prof-md", `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=dev-${rate}.md`],
});
try {
  await Bun.sleep(3_000);
  const reading = async () => ({
    samples: await scrape(setup.pipeline.url),
    threads: await threadCpuSeconds(setup.pipeline.pid),
  });
  const before = await reading();
  await Bun.sleep(seconds * 1_000);
  const after = await reading();
  const perSecond = (name: string) =>
    Math.round((total(after.samples, name) - total(before.samples, name)) / seconds);
  for (const name of [
    "ingest_trades_total",
    "ingest_dropped_trades_total",
    "trades_stored_total",
    "bars_stored_total",
  ]) {
    console.log(`${name}: ${perSecond(name)}/s`);
  }
  const ingest = { from: "ingest" };
  const latency = bucketDelta(
    buckets(before.samples, "end_to_end_latency_seconds", ingest),
    buckets(after.samples, "end_to_end_latency_seconds", ingest),
  );
  const ms = (q: number) => ((quantile(latency, q) ?? Number.NaN) * 1_000).toFixed(1);
  console.log(`ingest -> durable: p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms`);
  for (const [thread, cpu] of after.threads) {
    const cores = (cpu - (before.threads.get(thread) ?? 0)) / seconds;
    if (cores >= 0.01) console.log(`thread ${thread}: ${(cores * 100).toFixed(0)}% of a core`);
  }
  const busyShare = (activity: string) => {
    const busy = (samples: Sample[]) =>
      total(samples, "sqlite_write_thread_busy_seconds_total", { activity });
    return `${(((busy(after.samples) - busy(before.samples)) / seconds) * 100).toFixed(0)}%`;
  };
  console.log(
    `SQLite write thread, wall time: inserting ${busyShare("insert")}, committing ${busyShare("commit")}`,
  );
} finally {
  await setup.stop();
}
if (!threadsOnly) console.log(`main thread profile: ${join(profiles, `dev-${rate}.md`)}`);
