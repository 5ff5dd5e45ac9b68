import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { consumerGroups, topics } from "../../src/modules/contracts/index.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { createSqliteStore } from "../../src/runtime/store/sqlite/index.ts";
import { type SseEvent, SseReader } from "../modules/api/sse.ts";
import {
  type ComparableBar,
  goldenDifferences,
  loadGoldenBars,
  loadGoldenTrades,
  tradeContent,
} from "../support/golden.ts";
import { ensureKafka, groupLag, uniquePrefix } from "../support/kafka.ts";
import { pollUntil, RoleSplit, storeCounts } from "../support/role-split.ts";
import { apiBars, apiTrades } from "./support.ts";

// The first run of a machine downloads Kafka; hooks have bun's short default timeout unless given one.
beforeAll(() => ensureKafka(), 300_000);

const golden = join(import.meta.dir, "../fixtures/aig-ibm-20131007.ndjson");
const DAY = { from: Date.UTC(2013, 9, 7), to: Date.UTC(2013, 9, 8) };
const SYMBOLS = ["AIG", "IBM"];

const kindOf = (event: SseEvent) =>
  event.event === "bar"
    ? `${(event.data as { final: boolean }).final ? "final" : "provisional"} bar`
    : event.event;

const expectedContents = async () => (await loadGoldenTrades()).map(tradeContent).sort();

describe("role-split pipeline on Kafka: processor, writer and api processes, ingest replaying the golden tape", () => {
  let split: RoleSplit;
  let api: string;
  let ingestCode: number;
  let streamed: Promise<SseEvent[]>;

  beforeAll(async () => {
    const { brokers } = await ensureKafka();
    const prefix = uniquePrefix("roles");
    split = new RoleSplit({ brokers, prefix });
    // The writer migrates the file before the api opens it.
    await split.start("writer");
    const [, apiProcess] = await Promise.all([
      split.start("processor"),
      // A client queue for a whole replay at full speed: the test reads the stream as fast as it can.
      split.start("api", { API_STREAM_CLIENT_QUEUE: "200000" }),
    ]);
    api = await apiProcess.url();
    const stream = new SseReader(await fetch(`${api}/v1/stream?symbols=AIG,IBM`));
    streamed = stream.until(
      (events) =>
        ["trade", "provisional bar", "final bar"].every((kind) => events.some((e) => kindOf(e) === kind)),
      120_000,
      "a trade, a provisional and a final bar on the live stream",
    );
    streamed.catch(() => {});
    ingestCode = await split.replay([golden]).exited;
    const lag = (group: string, topic: string) => groupLag(brokers, `${prefix}${group}`, `${prefix}${topic}`);
    let last = "";
    await pollUntil(
      async () => {
        const counts = storeCounts(split.dbPath);
        const lags = [
          await lag(consumerGroups.processor, topics.trades),
          await lag(consumerGroups.writer, topics.processed),
        ];
        last = JSON.stringify({ ...counts, lags });
        return (
          counts.trades === 49_644 &&
          counts.finalBars === 887 &&
          counts.bars === 887 &&
          lags.every((n) => n === 0)
        );
      },
      120_000,
      () => `store and lags ${last}\n${split.logs()}`,
    );
  }, 300_000);

  afterAll(() => split?.stop(), 60_000);

  test("the ingest process exits 0 once everything is published", () => {
    expect(ingestCode).toBe(0);
  });

  test("the store holds exactly the 49,644 trades of the tape and the 887 golden bars, all final", async () => {
    const store = createSqliteStore({ path: split.dbPath, registry: createRegistry() });
    try {
      const trades = (
        await Promise.all(SYMBOLS.map((symbol) => store.tradesBetween(symbol, DAY.from, DAY.to)))
      ).flat();
      expect(new Set(trades.map((trade) => trade.id)).size).toBe(49_644);
      expect(trades.map(tradeContent).sort()).toEqual(await expectedContents());
      const bars: ComparableBar[] = [];
      for (const symbol of SYMBOLS) {
        const page = await store.queryBars({ symbol, ...DAY, limit: 5_000, sort: "asc" });
        expect(page.nextCursor).toBeNull();
        bars.push(...page.results);
      }
      expect(await goldenDifferences(bars)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test("the api process streams trades and provisional bars from the processor, final bars from the writer", async () => {
    const events = await streamed;
    const trade = events.find((event) => event.event === "trade")!.data as { symbol: string };
    expect(SYMBOLS).toContain(trade.symbol);
    const final = events.find((event) => kindOf(event) === "final bar")!.data as ComparableBar & {
      T: number;
    };
    const golden = await loadGoldenBars();
    const same = golden.find((bar) => bar.symbol === final.symbol && bar.t === final.t)!;
    expect(final).toMatchObject({ o: same.o, h: same.h, l: same.l, c: same.c, n: same.n, rev: 0 });
  });

  test("the api process serves the same trades and bars", async () => {
    const served = { trades: [] as string[], bars: [] as ComparableBar[] };
    for (const symbol of SYMBOLS) {
      const trades = await apiTrades(api, symbol, DAY, 50_000);
      served.trades.push(
        ...trades.map((t) =>
          tradeContent({ symbol, timestamp: t.t, price: t.p, volume: t.v, conditions: t.c }),
        ),
      );
      served.bars.push(...(await apiBars(api, symbol, DAY)).map((bar) => ({ symbol, ...bar })));
    }
    expect(served.trades.sort()).toEqual(await expectedContents());
    expect(await goldenDifferences(served.bars)).toEqual([]);
  });
});
