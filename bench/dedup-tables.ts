/**
 * What the processor's dedup tables cost per id at the end of a minute: `bun bench/dedup-tables.ts
 * [symbols] [trades per symbol per minute]` (defaults 5,000 and 600: 50,000 trades/s). Each symbol's
 * window is sized from a previous window of the same mean, as the processor sizes it, and gets a
 * Poisson-distributed count of trades at random milliseconds of the minute, as a live feed would.
 */
import { WindowIds } from "../src/modules/processor/window-ids.ts";

const symbols = Number(process.argv[2] ?? 5_000);
const perMinute = Number(process.argv[3] ?? 600);
const MINUTE_MS = 60_000;

/** A mulberry32 stream: the same windows on every run. */
const random = (() => {
  let state = 42;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
})();

/** A Poisson count of mean `mean` (normal approximation, fine for means in the hundreds). */
const poisson = (mean: number) => {
  const u = Math.max(random(), Number.EPSILON);
  const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
};

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
  `${symbols} symbols, ${perMinute} trades each a minute: ${ids} ids in ${(bytes / 2 ** 20).toFixed(1)} MiB of tables, ${(bytes / ids).toFixed(1)} bytes per id`,
);
