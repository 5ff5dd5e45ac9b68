/**
 * Processing core on one core, no storage and no transport: Finnhub frame text -> parse -> validate -> id
 * (decodeFinnhubFrame) -> the processor's bus check -> dedup -> 1-minute bars (PartitionEngine).
 */
import { build } from "hdr-histogram-js";
import { MINUTE_MS, windowStart } from "../src/modules/bars/index.ts";
import { checkTrade, type ProcessedMessage, type Trade } from "../src/modules/contracts/index.ts";
import { type DecodeContext, decodeFinnhubFrame } from "../src/modules/ingest/index.ts";
import { PartitionEngine, type ProcessorOptions } from "../src/modules/processor/index.ts";
import { configSchema } from "../src/runtime/config/index.ts";
import { finnhubFrames } from "./lib/finnhub-frames.ts";
import type { Benchmark } from "./lib/types.ts";

const TRADES = 1_000_000;
const PASSES = 5;
/** Untimed passes first: JIT warm-up, and for the core one minute of event time, so bars and dedup sets run
 * in their steady state (a symbol's first window is sized blind). */
const WARM_UP = 3;
/** What one processor batch holds (the transport's default maxBatch): provisional updates go out per batch. */
const BATCH = 1_000;
const SYMBOLS = 50;
const defaults: ProcessorOptions = configSchema.shape.processor.parse({});

const EVENT_RATE = 50_000;
const FIRST_TRADE = Date.UTC(2024, 0, 8, 14, 30);

/** The frames of pass `i`: fresh trades (new ids) continuing the event time of pass `i - 1`. */
const tape = (i: number) =>
  finnhubFrames({
    trades: TRADES,
    symbols: SYMBOLS,
    eventRate: EVENT_RATE,
    jitterMs: 2_000,
    seed: 7 + i,
    start: FIRST_TRADE + (i * TRADES * 1_000) / EVENT_RATE,
  });
const frames = tape(0);
const frameCount = frames.length;

const context = (): DecodeContext => ({ source: "finnhub", now: 0, seq: 0 });

/**
 * Median and best rate of `PASSES` timed passes after `WARM_UP` untimed ones. `input(i)` prepares pass `i` outside
 * the timing; each pass returns how many trades it handled.
 */
const measure = <T>(pass: (input: T) => number, input: (i: number) => T) => {
  for (let i = 0; i < WARM_UP; i++) pass(input(i));
  const rates: number[] = [];
  for (let i = WARM_UP; i < WARM_UP + PASSES; i++) {
    const prepared = input(i);
    const started = performance.now();
    const made = pass(prepared);
    rates.push(made / ((performance.now() - started) / 1_000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(PASSES / 2)]!, best: rates.at(-1)! };
};

const parseOnly = (texts: readonly string[]) => {
  let trades = 0;
  for (const text of texts) trades += (JSON.parse(text) as { data: unknown[] }).data.length;
  return trades;
};

const decodeOnly = (texts: readonly string[]) => {
  const ctx = context();
  let trades = 0;
  for (const text of texts) {
    const decoded = decodeFinnhubFrame(text, ctx);
    ctx.seq = decoded.nextSeq;
    trades += decoded.trades.length;
  }
  return trades;
};

/**
 * The processor side as a stream: one engine across all passes, each pass feeding new trades, so dedup
 * sets, open bars and finalisation run in their steady state (windows rotate, sets are dropped past the
 * horizon). `feed` takes one frame's trades; `pass` returns how many trades the pass handled.
 */
const processorStream = () => {
  const engine = new PartitionEngine(defaults);
  const out: ProcessedMessage[] = [];
  let offset = 0;
  let batched = 0;
  let forwarded = 0;
  const drain = () => {
    for (const message of out) if (message.kind === "trade") forwarded++;
    out.length = 0;
  };
  const feed = (trades: readonly Trade[], now: number) => {
    for (const trade of trades) if (checkTrade(trade) === null) engine.ingest(trade, offset++, now, out);
    batched += trades.length;
    if (batched >= BATCH) {
      engine.flush(now, out);
      drain();
      batched = 0;
    }
  };
  const pass = (run: () => void) => {
    const first = offset;
    forwarded = 0;
    run();
    drain();
    if (forwarded !== offset - first)
      throw new Error(`engine forwarded ${forwarded} of ${offset - first} trades`);
    return offset - first;
  };
  return { feed, pass };
};

/** Frame text to bars: decode, then the processor. */
const coreStream = () => {
  const processor = processorStream();
  const ctx = context();
  return (texts: readonly string[]) =>
    processor.pass(() => {
      for (const text of texts) {
        ctx.now = Date.now();
        const decoded = decodeFinnhubFrame(text, ctx);
        ctx.seq = decoded.nextSeq;
        processor.feed(decoded.trades, ctx.now);
      }
    });
};

/** The processor alone, on trades decoded before the timing starts. */
const engineStream = () => {
  const processor = processorStream();
  return (frames: readonly Trade[][]) =>
    processor.pass(() => {
      for (const trades of frames) processor.feed(trades, Date.now());
    });
};

/** The trades of pass `i`, decoded (untimed input of `engineStream`). */
const decodedTape = (i: number) => {
  const ctx = context();
  return (i === 0 ? frames : tape(i)).map((text) => {
    const decoded = decodeFinnhubFrame(text, ctx);
    ctx.seq = decoded.nextSeq;
    return decoded.trades;
  });
};

interface LatencyRun {
  rate: number;
  intervalMs: number;
  seconds: number;
}

/**
 * Paced run at `rate` trades/s of wall clock: latency of a trade = from its frame's scheduled arrival
 * (so falling behind counts, no coordinated omission) to the first bar message that includes it.
 */
const latency = ({ rate, intervalMs, seconds }: LatencyRun) => {
  const options = { ...defaults, provisionalIntervalMs: intervalMs };
  const engine = new PartitionEngine(options);
  const tickEvery = Math.max(10, Math.min(intervalMs, options.idleTimeoutMs) / 2);
  const histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const waiting = new Map<string, { t: number; arrival: number }[]>();
  const ctx = context();
  const out: ProcessedMessage[] = [];
  const tradesPerFrame = TRADES / frameCount;
  const frameGapMs = (1_000 * tradesPerFrame) / rate;
  const limit = Math.min(frameCount, Math.ceil((seconds * rate) / tradesPerFrame));
  const start = performance.now();
  let next = 0;
  let offset = 0;
  let lastTick = start;

  const settle = (now: number) => {
    for (const message of out) {
      if (message.kind !== "bar") continue;
      const queue = waiting.get(message.bar.symbol);
      if (!queue) continue;
      const rest = queue.filter(({ t, arrival }) => {
        if (t !== message.bar.t) return true;
        histogram.recordValue(Math.max(1, Math.round((now - arrival) * 1_000)));
        return false;
      });
      waiting.set(message.bar.symbol, rest);
    }
    out.length = 0;
  };

  while (next < limit) {
    const now = performance.now();
    let batched = 0;
    while (next < limit && start + next * frameGapMs <= now && batched < BATCH) {
      const arrival = start + next * frameGapMs;
      const decoded = decodeFinnhubFrame(frames[next++]!, ctx);
      ctx.seq = decoded.nextSeq;
      for (const trade of decoded.trades) {
        if (checkTrade(trade) !== null) continue;
        engine.ingest(trade, offset++, now, out);
        const queue = waiting.get(trade.symbol) ?? [];
        queue.push({ t: windowStart(trade.timestamp, MINUTE_MS), arrival });
        waiting.set(trade.symbol, queue);
      }
      batched += decoded.trades.length;
    }
    if (batched > 0) engine.flush(now, out);
    if (now - lastTick >= tickEvery) {
      engine.tick(now, out);
      lastTick = now;
    }
    settle(performance.now());
  }
  const deadline = performance.now() + intervalMs + 2 * tickEvery;
  while (performance.now() < deadline) {
    const now = performance.now();
    engine.tick(now, out);
    settle(now);
  }
  const ms = (percentile: number) => (histogram.getValueAtPercentile(percentile) / 1_000).toFixed(3);
  return { p50: ms(50), p99: ms(99), max: ms(100), count: histogram.totalCount };
};

const format = (n: number) => Math.round(n).toLocaleString("en-US");

export const benchmark: Benchmark = {
  title: "Processing core: parse -> validate -> id -> dedup -> 1m bars (one core, no storage)",
  run: async () => {
    const parse = measure(parseOnly, () => frames);
    const decode = measure(decodeOnly, () => frames);
    const core = measure(coreStream(), (i) => (i === 0 ? frames : tape(i)));
    const engineAlone = measure(engineStream(), decodedTape);
    const runs: LatencyRun[] = [
      { rate: 50_000, intervalMs: defaults.provisionalIntervalMs, seconds: 4 },
      { rate: 50_000, intervalMs: 0, seconds: 4 },
      { rate: 250_000, intervalMs: 0, seconds: 3 },
    ];
    const latencies = runs.map((run) => ({ run, result: latency(run) }));
    const perTradeNs = (rate: number) => (1e9 / rate).toFixed(0);
    return [
      `Input: ${format(TRADES)} trades in ${format(frameCount)} generated Finnhub frames (1-40 trades each, ${SYMBOLS} symbols:`,
      "stocks with condition codes, crypto with fractional volumes, FX with volume 0; event time jittered up to 2 s).",
      `Throughput: ${PASSES} timed passes of ${format(TRADES)} new trades each after ${WARM_UP} untimed ones, median (best); the core`,
      "runs as one stream (one engine, event time continuing across passes at 50,000 trades/s), provisional",
      `updates flushed every ${BATCH} trades as the processor does per batch; default processor options.`,
      "",
      "| stage | trades/s median | (best) | ns/trade |",
      "|---|---:|---:|---:|",
      `| JSON.parse alone (baseline) | ${format(parse.median)} | ${format(parse.best)} | ${perTradeNs(parse.median)} |`,
      `| decodeFinnhubFrame: parse + validate + id | ${format(decode.median)} | ${format(decode.best)} | ${perTradeNs(decode.median)} |`,
      `| processor alone: bus check + dedup + bars, on decoded trades | ${format(engineAlone.median)} | ${format(engineAlone.best)} | ${perTradeNs(engineAlone.median)} |`,
      `| **full core: decode + bus check + dedup + bars** | **${format(core.median)}** | ${format(core.best)} | ${perTradeNs(core.median)} |`,
      "",
      `Goal >= 1,000,000 trades/s: ${core.median >= 1_000_000 ? "met" : "not met"}.`,
      "",
      "Trade -> provisional bar latency (paced by wall clock; from the frame's scheduled arrival to the first bar",
      "message that includes the trade; timers simulated at the processor's tick period):",
      "",
      "| rate (trades/s) | provisional interval | p50 ms | p99 ms | max ms | trades |",
      "|---:|---:|---:|---:|---:|---:|",
      ...latencies.map(
        ({ run, result }) =>
          `| ${format(run.rate)} | ${run.intervalMs} ms | ${result.p50} | ${result.p99} | ${result.max} | ${format(result.count)} |`,
      ),
    ].join("\n");
  },
};
