/**
 * Dev mode end to end: the simulator (a process of its own) -> ingest -> memory transport -> processor ->
 * writer -> SQLite, all roles of `bun src/main.ts` in one process, as `bun run dev` runs them.
 * 1. Throughput: the simulator at rising fixed rates and unthrottled; trades/s counted from
 *    `trades_stored_total` over a window after a warm-up. A WebSocket cannot be paused, so past what the
 *    pipeline sustains ingest drops trades (counted): the sustained throughput is the highest rate stored
 *    without drops, and the unthrottled run shows the overload. The top rate runs once more with frames of
 *    1 to 8 trades (the simulator's until 2026-11-23): per-frame costs make small frames dearer per trade.
 * 2. Latency at a fixed 50,000 trades/s: trade accepted by ingest -> durable in SQLite, from the writer's
 *    `end_to_end_latency_seconds{from="ingest"}` observations made in the window.
 * `BENCH_E2E_SECONDS` shortens the windows for a quick run.
 */
import { loadConfig } from "../src/runtime/config/index.ts";
import { benchSymbols, startDevSetup } from "./lib/dev-setup.ts";
import { LATENCY, measureWindow, type Window } from "./lib/dev-window.ts";
import { quantile } from "./lib/scrape.ts";
import type { Benchmark } from "./lib/types.ts";

const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 30);
const WARM_UP_SECONDS = Math.min(10, SECONDS);
const SYMBOLS = benchSymbols(50);
const FIXED_RATE = 50_000;
const SWEEP = [100_000, 150_000, 200_000, 300_000];
/** The simulator's frames were this small until 2026-11-23: the top rate again with them, for comparison. */
const SMALL_FRAMES = 8;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const run = async (rate: number, simulatorEnv: Record<string, string> = {}) => {
  const setup = await startDevSetup({ rate, symbols: SYMBOLS, simulatorEnv });
  try {
    return await measureWindow(setup, WARM_UP_SECONDS, SECONDS);
  } finally {
    await setup.stop();
  }
};

const ms = (seconds: number | undefined) => (seconds === undefined ? "-" : fmt(seconds * 1_000, 1));

const row = (label: string, w: Window) =>
  `| ${label} | ${fmt(w.stored)} | ${fmt(w.ingested)} | ${fmt(w.dropped)} | ${ms(quantile(w.latency, 0.5))} | ${ms(quantile(w.latency, 0.99))} | ${fmt(w.pipelineCpu * 100)}% | ${fmt(w.simulatorCpu * 100)}% | ${w.load.toFixed(2)} |`;

export const benchmark: Benchmark = {
  title: "Dev mode end to end: simulator -> ingest -> processor -> writer -> SQLite",
  async run() {
    const fixed = await run(FIXED_RATE);
    const sweep: [number, Window][] = [];
    for (const rate of SWEEP) sweep.push([rate, await run(rate)]);
    const max = await run(0);
    const topRate = SWEEP.at(-1)!;
    const smallFrames = await run(topRate, { SIMULATOR_TRADES_PER_FRAME: String(SMALL_FRAMES) });
    const { config } = loadConfig();
    return [
      `\`bun src/main.ts simulate\` in one process, \`bun src/main.ts\` (every role: ingest, processor, writer, api; memory transport, ${config.transport.partitions} partitions; SQLite on a fresh file) in another, reading it as its Finnhub source over one WebSocket connection; ${SYMBOLS.length} symbols, frames of 1 to ${config.simulator.tradesPerFrame} trades. Each run: ${WARM_UP_SECONDS} s warm-up, then ${SECONDS} s measured.`,
      `Trades/s from \`trades_stored_total\` (durable); "dropped" are trades ingest discarded because the transport was full (a live socket cannot wait). Latency: trade accepted by ingest -> its write committed, from \`${LATENCY}{from="ingest"}\` (the writer observes up to 32 trades per write; quantiles interpolated inside the histogram's buckets, so only as exact as the bucket bounds ..., 25, 50, 100, 250 ms ...). CPU: cores used by each process (100% = one core). Goals: >= 300,000 trades/s sustained; p99 < 100 ms at ${fmt(FIXED_RATE)} trades/s.`,
      "",
      "| simulator rate | stored/s | ingested/s | dropped/s | p50 (ms) | p99 (ms) | pipeline CPU | simulator CPU | load |",
      "|---|---|---|---|---|---|---|---|---|",
      row(`${fmt(FIXED_RATE)}/s`, fixed),
      ...sweep.map(([rate, window]) => row(`${fmt(rate)}/s`, window)),
      row("unthrottled", max),
      row(`${fmt(topRate)}/s, frames of 1 to ${SMALL_FRAMES}`, smallFrames),
    ].join("\n");
  },
};
