import { accumulateTrades, DAY_MS, MINUTE_MS, toBar } from "../../src/modules/bars/index.ts";
import type { Bar, Trade } from "../../src/modules/contracts/index.ts";
import { createRandom } from "../../src/modules/simulator/random.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../../src/runtime/store/sqlite/index.ts";

export interface FillOptions {
  /** SQLite file to create and migrate. */
  path: string;
  symbols: readonly string[];
  /** UTC midnight of the day filled. */
  day: number;
  /** Trades per minute and symbol. */
  tradesPerMinute: number;
}

const WRITE_SIZE = 20_000;

/** One symbol's trades of one minute: a seeded random walk around 100, several trades per second. */
const minuteTrades = (symbol: string, t: number, count: number, random: () => number, seq: number) =>
  Array.from({ length: count }, (_, i): Trade => {
    const timestamp = t + Math.floor((i * MINUTE_MS) / count);
    return {
      id: `replay:9f86d081884c7d65:${seq + i}`,
      symbol,
      price: Math.round((100 + random() * 5) * 100) / 100,
      timestamp,
      volume: 1 + Math.floor(random() * 500),
      conditions: random() < 0.7 ? ["1"] : ["1", "12"],
      processed_at: timestamp + 40,
      source: "replay:bench",
      seq: seq + i,
    };
  });

/**
 * Fills a fresh store through the Store API with one UTC day per symbol: its trades and the final
 * 1-minute bars computed from them (1,440 per symbol), as the pipeline would have left them.
 */
export const fillStore = async (options: FillOptions): Promise<{ trades: number; bars: number }> => {
  migrateSqlite(options.path);
  const store = createSqliteStore({ path: options.path, registry: createRegistry() });
  const random = createRandom(7);
  let seq = 0;
  let bars = 0;
  try {
    for (const symbol of options.symbols) {
      const dayBars: Bar[] = [];
      let pending: Trade[] = [];
      for (let t = options.day; t < options.day + DAY_MS; t += MINUTE_MS) {
        const trades = minuteTrades(symbol, t, options.tradesPerMinute, random, seq);
        seq += trades.length;
        pending.push(...trades);
        const meta = { symbol, t, T: t + MINUTE_MS, final: true, rev: 0, updatedAt: t + MINUTE_MS + 5_000 };
        dayBars.push(toBar(accumulateTrades(trades), meta));
        if (pending.length >= WRITE_SIZE) {
          await store.writeTrades(pending);
          pending = [];
        }
      }
      await store.writeTrades(pending);
      await store.writeBars(dayBars);
      bars += dayBars.length;
    }
  } finally {
    await store.close();
  }
  return { trades: seq, bars };
};
