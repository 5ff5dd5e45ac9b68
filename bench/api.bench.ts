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
import { DAY_MS } from "../src/modules/bars/index.ts";
import { startDevProcess } from "../tests/support/dev-process.ts";
import { fillStore } from "./lib/fill-store.ts";
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

export const benchmark: Benchmark = {
  title: "HTTP API: a day of 1-minute bars, the latest 1,000 trades",
  async run() {
    requireWrk();
    const folder = mkdtempSync(join(tmpdir(), "tickflow-bench-api-"));
    const path = join(folder, "api.db");
    const yesterday = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
    const filled = await fillStore({
      path,
      symbols: SYMBOLS,
      day: yesterday,
      tradesPerMinute: TRADES_PER_MINUTE,
    });
    const dev = await startDevProcess({ SQLITE_PATH: path });
    try {
      const range = `from=${yesterday}&to=${yesterday + DAY_MS}`;
      const requests = [
        { name: "`/v1/bars/BENCH0` one day of 1m bars", path: `/v1/bars/BENCH0?${range}`, count: 1_440 },
        {
          name: "`/v1/trades/BENCH0` latest 1,000",
          path: `/v1/trades/BENCH0?${range}&limit=1000`,
          count: 1_000,
        },
      ];
      const rows: string[] = [];
      for (const request of requests) {
        const url = `${dev.url}${request.path}`;
        const bytes = await check(url, request.count);
        await runWrk({ url, connections: 8, threads: 1, seconds: WARM_UP_SECONDS });
        for (const load of LOADS) {
          const result = await runWrk({ url, ...load, seconds: SECONDS });
          if (result.errors > 0) throw new Error(`${request.path}: ${result.errors} failed requests`);
          rows.push(
            `| ${request.name} | ${fmt(bytes / 1024)} KiB | ${load.connections} | ${fmt(result.p50, 2)} | ${fmt(result.p99, 2)} | ${fmt(result.requestsPerSecond)} |`,
          );
        }
      }
      return [
        `\`bun src/main.ts\` with every role (simulator at its default rate, so the writer keeps writing) on a SQLite store filled beforehand through the Store API: ${SYMBOLS.length} symbols × one UTC day (yesterday) of trades, ${TRADES_PER_MINUTE} per minute (${fmt(filled.trades)} trades), and the ${fmt(filled.bars)} final 1-minute bars computed from them.`,
        `Load from wrk in a second process on the same machine (\`apt-get install wrk\`), ${SECONDS} s per row after a ${WARM_UP_SECONDS} s warm-up; wrk threads: 1 at 1 connection, 2 at 32. Goal: p99 < 10 ms and >= 10,000 requests/s.`,
        "",
        "| request | response | connections | p50 (ms) | p99 (ms) | requests/s |",
        "|---|---|---|---|---|---|",
        ...rows,
      ].join("\n");
    } finally {
      await dev.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
