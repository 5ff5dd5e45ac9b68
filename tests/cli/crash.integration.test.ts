import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createRandom } from "../../src/modules/simulator/random.ts";
import {
  goldenDay,
  goldenDifferences,
  goldenSymbols,
  goldenTape,
  loadGoldenTrades,
  tradeContent,
} from "../support/golden.ts";
import { ensureKafka, uniquePrefix } from "../support/kafka.ts";
import { pollUntil, RoleSplit } from "../support/role-split.ts";
import { readStored, storeCounts } from "../support/sqlite-contents.ts";

// The first run of a machine downloads Kafka; hooks have bun's short default timeout unless given one.
beforeAll(() => ensureKafka(), 300_000);

/** The tape spans 16 hours (extended hours included): at 2,000 times its pace the replay takes 29 s. */
const REPLAY_SPEED = "2000";
const TRADES = 49_644;
/** Kills happen once this share of the trades is stored: mid-stream, with data flowing. */
const PROGRESS = { from: 0.03, to: 0.95 };
const KILLS = { processor: 3, writer: 3 };

/** `CRASH_SEED` repeats a logged run; otherwise every run draws new moments. */
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000_007);

interface Kill {
  /** Stored trades at which the kill happens. */
  atTrades: number;
  role: "processor" | "writer";
}

/** The kill schedule of a seed: each role killed `KILLS[role]` times at uniform points of the progress. */
const schedule = (random: () => number): Kill[] =>
  (Object.entries(KILLS) as [Kill["role"], number][])
    .flatMap(([role, count]) =>
      Array.from({ length: count }, () => ({
        role,
        atTrades: Math.round(TRADES * (PROGRESS.from + random() * (PROGRESS.to - PROGRESS.from))),
      })),
    )
    .sort((a, b) => a.atTrades - b.atTrades);

describe(`kill -9 of processor and writer during a golden replay over Kafka (CRASH_SEED=${seed})`, () => {
  let split: RoleSplit;
  let ingestCode: number;
  const events: string[] = [];

  beforeAll(async () => {
    const { brokers } = await ensureKafka();
    const prefix = uniquePrefix("crash");
    // Shorter sessions than the other tests: a killed member's partitions move on after 3 s.
    split = new RoleSplit({
      brokers,
      prefix,
      env: { KAFKA_SESSION_TIMEOUT_MS: "3000", KAFKA_REBALANCE_TIMEOUT_MS: "3000" },
    });
    await split.start("writer");
    await split.start("processor");
    const started = Date.now();
    const ingest = split.replay([goldenTape], { REPLAY_SPEED });
    const note = (line: string) => {
      const counts = storeCounts(split.dbPath);
      events.push(
        `+${Date.now() - started} ms ${line} (stored: ${counts.trades} trades, ${counts.bars} bars)`,
      );
    };
    const kills = schedule(createRandom(seed));
    console.info(`crash test seed ${seed}: ${kills.map((k) => `${k.role}@${k.atTrades}`).join(", ")}`);
    for (const kill of kills) {
      await pollUntil(
        async () => storeCounts(split.dbPath).trades >= kill.atTrades,
        120_000,
        () => `${kill.atTrades} trades stored\n${events.join("\n")}\n${split.logs()}`,
        20,
      );
      const victim = split.processes.get(kill.role)!;
      await split.crash(kill.role);
      note(`kill -9 ${kill.role} (pid ${victim.pid}, scheduled at ${kill.atTrades} trades)`);
      await split.start(kill.role);
      note(`${kill.role} restarted`);
    }
    ingestCode = await ingest.exited;
    note(`ingest exited ${ingestCode}`);
    await split.settle({ finalBars: 887, bars: 887 }, 180_000, () => `${events.join("\n")}\n`);
    note("every bar final, both groups committed everything");
    console.info(events.join("\n"));
  }, 600_000);

  afterAll(() => split?.stop(), 60_000);

  test("the replay itself went through", () => {
    expect(ingestCode).toBe(0);
  });

  test("exactly the 49,644 trades are stored, none lost, none doubled", async () => {
    const { trades } = await readStored(split.dbPath, goldenSymbols, goldenDay);
    expect(trades).toHaveLength(TRADES);
    expect(trades.map(tradeContent).sort()).toEqual((await loadGoldenTrades()).map(tradeContent).sort());
  });

  test("the bars are the 887 golden bars, all final with rev 0 as in an uninterrupted run", async () => {
    const { bars } = await readStored(split.dbPath, goldenSymbols, goldenDay);
    expect(await goldenDifferences(bars)).toEqual([]);
  });
});
