/**
 * The dev pipeline's CPU per trade, without a socket or a simulator to share the machine with:
 * `bun bench/replay-dev.ts [trades] [symbols] [NAME=value | --bun-flag ...]` (defaults 3,000,000 and 50;
 * the pairs are more environment for the pipeline, the flags go to its bun). It writes generated Finnhub
 * frames in event-time order, of 1 to `SIMULATOR_TRADES_PER_FRAME` trades (as the simulator sends them),
 * to an NDJSON file and replays it with `bun src/main.ts replay` (every role, memory transport, a fresh
 * SQLite file) as fast as the pipeline takes it: a file waits for room, so nothing is dropped and the
 * event loop is busy throughout, which also makes a sampled profile of it readable
 * (`--cpu-prof-md --cpu-prof-dir=DIR`). It prints the trades stored per second of the run and the CPU
 * time per trade of the main thread, the SQLite write thread and all threads, and fails unless every
 * trade was stored.
 */
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/runtime/config/index.ts";
import { envArgs } from "./lib/env-args.ts";
import { finnhubFrames } from "./lib/finnhub-frames.ts";
import { threadCpuSeconds } from "./lib/proc.ts";

const [trades = 3_000_000, symbols = 50] = process.argv.slice(2, 4).map(Number);
const extra = process.argv.slice(4);
const bunFlags = extra.filter((arg) => arg.startsWith("--"));
const env = envArgs(extra.filter((arg) => !arg.startsWith("--")));
const SAMPLE_MS = 100;
const { tradesPerFrame } = loadConfig([], { ...process.env, ...env }).config.simulator;

const dir = mkdtempSync(join(tmpdir(), "tickflow-replay-dev-"));
try {
  const tape = join(dir, "tape.ndjson");
  const frames = finnhubFrames({
    trades,
    symbols,
    eventRate: 300_000,
    jitterMs: 0,
    seed: 7,
    maxPerFrame: tradesPerFrame,
  });
  await Bun.write(tape, `${frames.join("\n")}\n`);
  const database = join(dir, "tickflow.db");

  const started = performance.now();
  const child = Bun.spawn(["bun", ...bunFlags, "src/main.ts", "replay", tape], {
    env: { ...process.env, SQLITE_PATH: database, PORT: "0", LOG_LEVEL: "warn", ...env },
    stdout: "inherit",
    stderr: "inherit",
  });
  // Each thread's last reading before it ended or the process exited: the CPU of the run, start-up included.
  const threads = new Map<string, number>();
  const sampling = (async () => {
    while (child.exitCode === null) {
      const reading = await threadCpuSeconds(child.pid).catch(() => new Map<string, number>());
      for (const [thread, cpu] of reading) threads.set(thread, cpu);
      await Bun.sleep(SAMPLE_MS);
    }
  })();
  const code = await child.exited;
  const seconds = (performance.now() - started) / 1_000;
  await sampling;
  if (code !== 0) throw new Error(`the replay exited with ${code}`);

  const db = new Database(database, { readonly: true });
  const stored = db.query<{ n: number }, []>("SELECT count(*) AS n FROM trades_v2").get()!.n;
  db.close();
  const perTrade = (cpu: number) => `${((cpu * 1e6) / stored).toFixed(2)} µs`;
  const of = (predicate: (name: string) => boolean) =>
    [...threads].filter(([name]) => predicate(name)).reduce((sum, [, cpu]) => sum + cpu, 0);
  const main = of((name) => name.endsWith(`:${child.pid}`));
  const writeThread = of((name) => name.startsWith("Worker:"));
  const all = of(() => true);
  console.log(
    [
      `${trades} trades (${symbols} symbols, ${frames.length} frames of 1-${tradesPerFrame}), ${JSON.stringify(env)}:`,
      `${stored} stored in ${seconds.toFixed(1)} s = ${Math.round(stored / seconds)} trades/s;`,
      `CPU per trade: main thread ${perTrade(main)}, SQLite write thread ${perTrade(writeThread)},`,
      `all threads ${perTrade(all)} (start-up included)`,
    ].join(" "),
  );
  if (stored !== trades) throw new Error(`${trades - stored} trades were not stored`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
