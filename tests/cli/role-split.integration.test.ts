import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SseEvent, SseReader } from "../modules/api/sse.ts";
import {
  type ComparableBar,
  goldenDay,
  goldenDifferences,
  goldenSymbols,
  goldenTape,
  loadGoldenBars,
  loadGoldenTrades,
  servedTradeContent,
  tradeContent,
} from "../support/golden.ts";
import { ensureKafka, uniquePrefix } from "../support/kafka.ts";
import { RoleSplit } from "../support/role-split.ts";
import { readStored } from "../support/sqlite-contents.ts";
import { apiBars, apiTrades } from "./support.ts";

// The first run of a machine downloads Kafka; hooks have bun's short default timeout unless given one.
beforeAll(() => ensureKafka(), 300_000);

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
    ingestCode = await split.replay([goldenTape]).exited;
    await split.settle({ trades: 49_644, finalBars: 887, bars: 887 }, 120_000);
  }, 300_000);

  afterAll(() => split?.stop(), 60_000);

  test("the ingest process exits 0 once everything is published", () => {
    expect(ingestCode).toBe(0);
  });

  test("the store holds exactly the 49,644 trades of the tape and the 887 golden bars, all final", async () => {
    const { trades, bars } = await readStored(split.dbPath, goldenSymbols, goldenDay);
    expect(new Set(trades.map((trade) => trade.id)).size).toBe(49_644);
    expect(trades.map(tradeContent).sort()).toEqual(await expectedContents());
    expect(await goldenDifferences(bars)).toEqual([]);
  });

  test("the api process streams trades and provisional bars from the processor, final bars from the writer", async () => {
    const events = await streamed;
    const trade = events.find((event) => event.event === "trade")!.data as { symbol: string };
    expect<readonly string[]>(goldenSymbols).toContain(trade.symbol);
    const final = events.find((event) => kindOf(event) === "final bar")!.data as ComparableBar & {
      T: number;
    };
    const golden = await loadGoldenBars();
    const same = golden.find((bar) => bar.symbol === final.symbol && bar.t === final.t)!;
    expect(final).toMatchObject({ o: same.o, h: same.h, l: same.l, c: same.c, n: same.n, rev: 0 });
  });

  test("the api process serves the same trades and bars", async () => {
    const served = { trades: [] as string[], bars: [] as ComparableBar[] };
    for (const symbol of goldenSymbols) {
      const trades = await apiTrades(api, symbol, goldenDay, 50_000);
      served.trades.push(...trades.map((trade) => servedTradeContent(symbol, trade)));
      served.bars.push(...(await apiBars(api, symbol, goldenDay)).map((bar) => ({ symbol, ...bar })));
    }
    expect(served.trades.sort()).toEqual(await expectedContents());
    expect(await goldenDifferences(served.bars)).toEqual([]);
  });
});
