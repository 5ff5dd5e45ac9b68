/**
 * The query API under load: `bun src/main.ts` (every role: the simulator at its default rate keeps the
 * pipeline writing meanwhile) on a store filled beforehand through the Store API, loaded by wrk from a
 * second process (`apt-get install wrk`). Two requests: one full day of 1-minute bars (1,440 bars) and
 * the latest 1,000 trades of a symbol. Each runs closed-loop at 1 connection (latency alone) and at
 * several connections (throughput), after a warm-up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAY_MS, MINUTE_MS } from "../src/modules/bars/index.ts";
import { startDevProcess } from "../tests/support/dev-process.ts";
import { fillStore } from "./lib/fill-store.ts";
import { scrape, total } from "./lib/scrape.ts";
import type { Benchmark } from "./lib/types.ts";
import { requireWrk, runWrk } from "./lib/wrk.ts";

const SYMBOLS = ["BENCH0", "BENCH1", "BENCH2", "BENCH3", "BENCH4"];
const TRADES_PER_MINUTE = 60;
const SECONDS = 15;
const WARM_UP_SECONDS = 3;
const LOADS = [
  { connections: 1, threads: 1 },
  { connections: 32, threads: 2 },
];

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Fails unless `url` answers 200 with `count` results; returns the body size. */
const check = async (url: string, count: number) => {
  const response = await fetch(url);
  const body = await response.text();
  const results = response.ok ? (JSON.parse(body) as { results: unknown[] }).results.length : -1;
  if (results !== count)
    throw new Error(`GET ${url}: ${response.status}, ${results} results, expected ${count}`);
  return body.length;
};

interface Request {
  name: string;
  path: string;
  count: number;
}

/** Table rows of `url` under every load, after a warm-up. */
const measure = async (url: string, name: string, label: string, bytes: number) => {
  await runWrk({ url, connections: 8, threads: 1, seconds: WARM_UP_SECONDS });
  const rows: string[] = [];
  for (const load of LOADS) {
    const result = await runWrk({ url, ...load, seconds: SECONDS });
    if (result.errors > 0) throw new Error(`${url}: ${result.errors} failed requests`);
    rows.push(
      `| ${name} | ${label} | ${fmt(bytes / 1024)} KiB | ${load.connections} | ${fmt(result.p50, 2)} | ${fmt(result.p99, 2)} | ${fmt(result.requestsPerSecond)} |`,
    );
  }
  return rows;
};

/** One pipeline process on the filled store; every request at every load. */
const pass = async (
  path: string,
  requests: readonly Request[],
  env: Record<string, string>,
  label: string,
) => {
  const dev = await startDevProcess({ SQLITE_PATH: path, ...env });
  try {
    const rows: string[] = [];
    const sizes: number[] = [];
    for (const request of requests) {
      const url = `${dev.url}${request.path}`;
      const bytes = await check(url, request.count);
      sizes.push(bytes);
      rows.push(...(await measure(url, request.name, label, bytes)));
    }
    const samples = await scrape(dev.url);
    const hits = total(samples, "api_cache_lookups_total", { result: "hit" });
    const misses = total(samples, "api_cache_lookups_total", { result: "miss" });
    return { rows, sizes, hits, misses };
  } finally {
    await dev.stop();
  }
};

/** What this machine serves of `bytes`-long answers with no work at all: Bun.serve answering one Blob. */
const ceiling = async (bytes: number) => {
  const body = new Blob([new Uint8Array(bytes).fill(32)]);
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(body) });
  try {
    return await measure(`http://127.0.0.1:${server.port}/`, "bare Bun.serve, same size", "-", bytes);
  } finally {
    await server.stop(true);
  }
};

export const benchmark: Benchmark = {
  title: "HTTP API: a day of 1-minute bars, the latest 1,000 trades",
  async run() {
    requireWrk();
    const folder = mkdtempSync(join(tmpdir(), "tickflow-bench-api-"));
    const path = join(folder, "api.db");
    // The last 24 full hours: the latest trades are also the ones the default range (last day) finds.
    const day = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - DAY_MS;
    try {
      const filled = await fillStore({ path, symbols: SYMBOLS, day, tradesPerMinute: TRADES_PER_MINUTE });
      const bars = {
        name: "bars, 24 h of 1m",
        path: `/v1/bars/BENCH0?from=${day}&to=${day + DAY_MS}`,
        count: 1_440,
      };
      const latest = { name: "trades, latest 1,000", path: "/v1/trades/BENCH0?limit=1000", count: 1_000 };
      const cached = await pass(path, [bars, latest], {}, "on");
      const uncached = await pass(path, [bars, latest], { API_CACHE_MB: "0" }, "off");
      const bare = await ceiling(cached.sizes[0]!);
      const hitRate = cached.hits / Math.max(1, cached.hits + cached.misses);
      return [
        `\`bun src/main.ts\` with every role (simulator at its default rate, so the writer keeps committing) on a SQLite store filled beforehand through the Store API: ${SYMBOLS.length} symbols × the last 24 hours of trades, ${TRADES_PER_MINUTE} per minute (${fmt(filled.trades)} trades), and the ${fmt(filled.bars)} final 1-minute bars computed from them.`,
        `Requests: \`${bars.path.replace(/\d{13}/g, "…")}\` (1,440 bars; an ended range, so cacheable) and \`${latest.path}\` (the range ends now: cached until a write, or until a trade enters or leaves the range by the clock). Load from wrk in a second process on the same machine (\`apt-get install wrk\`), ${SECONDS} s per row after a ${WARM_UP_SECONDS} s warm-up; wrk threads: 1 at 1 connection, 2 at 32. The last rows are the ceiling of this machine for answers of that size: a bare Bun.serve in the benchmark's process answering the same number of bytes from memory. "cache" is API_CACHE_MB (default 64) or 0; with it on, ${fmt(hitRate * 100, 1)}% of lookups hit (a commit that writes the requested symbol turns the next lookup into a miss; the simulator writes other symbols). Goal: p99 < 10 ms and >= 10,000 requests/s.`,
        "",
        "| request | cache | response | connections | p50 (ms) | p99 (ms) | requests/s |",
        "|---|---|---|---|---|---|---|",
        ...cached.rows,
        ...uncached.rows,
        ...bare,
      ].join("\n");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
