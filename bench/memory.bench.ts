/**
 * Memory of dev mode under steady load: `bun src/main.ts` (every role, SQLite) fed by the simulator in a
 * process of its own at 50,000 trades/s across 5,000 symbols, its resident memory sampled every 10 s for
 * 10 minutes. `BENCH_MEMORY_SECONDS` shortens the run for a quick check (the recorded number is the full one).
 */
import { benchSymbols, startDevSetup } from "./lib/dev-setup.ts";
import { loadAverage, type Memory, memory } from "./lib/proc.ts";
import { scrape, total } from "./lib/scrape.ts";
import type { Benchmark } from "./lib/types.ts";

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 600);
const SAMPLE_SECONDS = 10;
const RATE = 50_000;
const SYMBOLS = benchSymbols(5_000);
const MIB = 2 ** 20;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Least-squares slope of y over x. */
const slope = (points: readonly [number, number][]) => {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
};

const describe = (label: string, values: readonly number[]) =>
  `| ${label} | ${fmt(Math.min(...values) / MIB)} | ${fmt(Math.max(...values) / MIB)} | ${fmt(values.at(-1)! / MIB)} |`;

export const benchmark: Benchmark = {
  title: "Memory: dev mode at 50,000 trades/s across 5,000 symbols",
  async run() {
    const setup = await startDevSetup({ rate: RATE, symbols: SYMBOLS });
    const samples: { at: number; memory: Memory }[] = [];
    let stored = 0;
    let dropped = 0;
    try {
      const started = performance.now();
      for (let elapsed = 0; elapsed <= SECONDS; elapsed += SAMPLE_SECONDS) {
        await Bun.sleep(Math.max(0, started + elapsed * 1_000 - performance.now()));
        samples.push({ at: elapsed, memory: await memory(setup.pipeline.pid) });
      }
      const metrics = await scrape(setup.pipeline.url);
      stored = total(metrics, "trades_stored_total");
      dropped = total(metrics, "ingest_dropped_trades_total");
    } finally {
      await setup.stop();
    }
    const rss = samples.map((s) => s.memory.rss);
    const secondHalf = samples
      .filter((s) => s.at >= SECONDS / 2)
      .map((s) => [s.at, s.memory.rss] as [number, number]);
    const perMinute = (points: [number, number][]) => fmt((slope(points) * 60) / MIB, 2);
    return [
      `\`bun src/main.ts\` (every role, memory transport, SQLite on a fresh file) reading \`bun src/main.ts simulate\` (its own process) at ${fmt(RATE)} trades/s over ${fmt(SYMBOLS.length)} symbols on one connection (SIMULATOR_SYMBOL_LIMIT and FINNHUB_SYMBOLS_PER_CONNECTION raised to ${fmt(SYMBOLS.length)}); the pipeline's memory read from /proc every ${SAMPLE_SECONDS} s for ${fmt(SECONDS)} s. ${fmt(stored)} trades stored, ${fmt(dropped)} dropped; load average at the end ${(await loadAverage()).toFixed(2)}.`,
      "RSS counts the heap (anonymous) and mapped file pages (code, the SQLite read connection's memory map). Goal: flat and < 250 MB.",
      "",
      "| MiB | min | max | last |",
      "|---|---|---|---|",
      describe("RSS", rss),
      describe(
        "anonymous",
        samples.map((s) => s.memory.anon),
      ),
      describe(
        "file-backed",
        samples.map((s) => s.memory.file),
      ),
      "",
      `RSS slope: ${perMinute(samples.map((s) => [s.at, s.memory.rss]))} MiB/min over the run, ${perMinute(secondHalf)} MiB/min over its second half.`,
      "",
      `RSS every ${SAMPLE_SECONDS} s (MiB): ${rss.map((value) => fmt(value / MIB)).join(" ")}`,
    ].join("\n");
  },
};
