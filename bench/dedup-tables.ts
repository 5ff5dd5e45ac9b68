/**
 * What the processor's dedup tables cost: `bun bench/dedup-tables.ts [symbols] [trades per symbol per
 * minute]` (defaults 5,000 and 600: 50,000 trades/s). Deterministic. First, per id: each symbol's window
 * is sized from a previous window of the same mean, as the processor sizes it, and gets a
 * Poisson-distributed count of trades at random milliseconds of the minute, as a live feed would; the
 * tables at the end of the minute. Then what the processor holds: every symbol's ids through its
 * `IdHorizon` with the default horizon for three minutes of event time, all symbols in step, the tables
 * held summed each second; the most of the last two minutes (the first sizes its windows blind).
 */
import { MINUTE_MS } from "../src/modules/bars/index.ts";
import { IdHorizon } from "../src/modules/processor/dedup.ts";
import { WindowIds } from "../src/modules/processor/window-ids.ts";
import { createRandom, gaussian } from "../src/modules/simulator/random.ts";
import { configSchema } from "../src/runtime/config/index.ts";

const symbols = Number(process.argv[2] ?? 5_000);
const perMinute = Number(process.argv[3] ?? 600);
const MIB = 2 ** 20;
/** The same windows on every run. */
const random = createRandom(42);

/** A Poisson count of mean `mean` (normal approximation, fine for means in the hundreds). */
const poisson = (mean: number) => Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));

let ids = 0;
let bytes = 0;
for (let symbol = 0; symbol < symbols; symbol++) {
  const window = new WindowIds(0, poisson(perMinute));
  const count = poisson(perMinute);
  for (let i = 0; i < count; i++)
    window.add(`${symbol.toString(16).padStart(16, "0")}:${i}`, Math.floor(random() * MINUTE_MS));
  ids += window.size;
  bytes += window.bytes;
}
console.log(
  `${symbols} symbols, ${perMinute} trades each a minute: ${ids} ids in ${(bytes / MIB).toFixed(1)} MiB of tables, ${(bytes / ids).toFixed(1)} bytes per id`,
);

const { dedupHorizonMs, allowedLatenessMs } = configSchema.shape.processor.parse({});
const MINUTES = 3;
/** Event times of each symbol's trades, ascending, one array per second of the run. */
const seconds = Array.from({ length: MINUTES * 60 }, () => [] as [number, number][]);
for (let symbol = 0; symbol < symbols; symbol++) {
  for (let minute = 0; minute < MINUTES; minute++) {
    const count = poisson(perMinute);
    for (let i = 0; i < count; i++) {
      const t = minute * MINUTE_MS + Math.floor(random() * MINUTE_MS);
      seconds[Math.floor(t / 1_000)]!.push([symbol, t]);
    }
  }
}
const horizons = Array.from({ length: symbols }, () => new IdHorizon(dedupHorizonMs, allowedLatenessMs));
const trades = new Array<number>(symbols).fill(0);
let most = 0;
let mostAt = 0;
seconds.forEach((arrivals, second) => {
  arrivals.sort((a, b) => a[1] - b[1]);
  for (const [symbol, t] of arrivals) horizons[symbol]!.check(`${symbol}:${trades[symbol]!++}`, t);
  if (second < 60) return;
  let held = 0;
  for (const horizon of horizons) held += horizon.bytes;
  if (held > most) [most, mostAt] = [held, second % 60];
});
console.log(
  `held with DEDUP_HORIZON_MS=${dedupHorizonMs}: at most ${(most / MIB).toFixed(1)} MiB (${mostAt} s into a minute)`,
);
