import { describe, expect, test } from "bun:test";
import type { ProcessedMessage } from "../../../src/modules/contracts/index.ts";
import { PartitionEngine } from "../../../src/modules/processor/index.ts";
import { processorOptions, trade } from "./support.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 30);
const kinds = (out: readonly ProcessedMessage[]) =>
  out.map((m) => (m.kind === "bar" ? `bar:${m.bar.final ? "final" : "open"}:${m.bar.n}` : m.kind));

describe("provisional updates", () => {
  test("come at most once per interval per symbol and carry the bar so far", () => {
    const engine = new PartitionEngine(processorOptions({ provisionalIntervalMs: 250 }));
    const out: ProcessedMessage[] = [];
    engine.ingest(trade({ timestamp: T0, seq: 0 }), 0, 1_000, out);
    engine.flush(1_000, out);
    engine.ingest(trade({ timestamp: T0 + 1, seq: 1 }), 1, 1_100, out);
    engine.flush(1_100, out);
    expect(kinds(out)).toEqual(["trade", "bar:open:1", "trade"]);
    engine.flush(1_249, out);
    expect(out).toHaveLength(3);
    engine.tick(1_250, out);
    expect(kinds(out).slice(3)).toEqual(["bar:open:2"]);
    engine.tick(2_000, out);
    expect(out).toHaveLength(4);
  });
});

describe("finalisation", () => {
  test("a bar becomes final once the watermark passes its end, right after the trade that moved it", () => {
    const engine = new PartitionEngine(processorOptions({ allowedLatenessMs: 5_000 }));
    const out: ProcessedMessage[] = [];
    engine.ingest(trade({ timestamp: T0 + 10, seq: 0 }), 0, 0, out);
    engine.ingest(trade({ timestamp: T0 + 64_999, seq: 1 }), 1, 0, out);
    expect(kinds(out)).toEqual(["trade", "trade"]);
    engine.ingest(trade({ timestamp: T0 + 65_000, seq: 2 }), 2, 0, out);
    expect(kinds(out)).toEqual(["trade", "trade", "trade", "bar:final:1"]);
    const final = out[3]!.kind === "bar" ? out[3]!.bar : undefined;
    expect(final).toMatchObject({ symbol: "AAA", t: T0, T: T0 + 60_000, final: true, rev: 0 });
  });

  test("the idle timeout closes a quiet symbol's bars; its later trades for those windows are late", () => {
    const engine = new PartitionEngine(processorOptions({ idleTimeoutMs: 10_000 }));
    const out: ProcessedMessage[] = [];
    engine.ingest(trade({ timestamp: T0, seq: 0 }), 0, 1_000, out);
    engine.tick(10_999, out);
    expect(engine.openBars).toBe(1);
    engine.tick(11_000, out);
    expect(engine.openBars).toBe(0);
    expect(kinds(out)).toEqual(["trade", "bar:open:1", "bar:final:1"]);
    engine.ingest(trade({ timestamp: T0 + 1, seq: 1 }), 1, 12_000, out);
    expect(out.slice(3)).toEqual([
      { kind: "trade", trade: trade({ timestamp: T0 + 1, seq: 1 }), outlier: false },
      { kind: "correction", symbol: "AAA", t: T0 },
    ]);
    expect(engine.stats.late).toBe(1);
    expect(engine.stats.latenessMs).toEqual([0]);
  });

  test("end of input makes every open bar final, then forwards the end marker", () => {
    const engine = new PartitionEngine(processorOptions());
    const out: ProcessedMessage[] = [];
    engine.ingest(trade({ symbol: "A", timestamp: T0, seq: 0 }), 0, 0, out);
    engine.ingest(trade({ symbol: "B", timestamp: T0 + 59_000, seq: 1 }), 1, 0, out);
    engine.ingest(trade({ symbol: "B", timestamp: T0 + 61_000, seq: 2 }), 2, 0, out);
    engine.endOfInput("replay:x", 0, out);
    expect(kinds(out)).toEqual([
      "trade",
      "trade",
      "trade",
      "bar:final:1",
      "bar:final:1",
      "bar:final:1",
      "end",
    ]);
    expect(out.at(-1)).toEqual({ kind: "end", source: "replay:x" });
    expect(engine.openBars).toBe(0);
  });
});

describe("replay point", () => {
  test("is the offset of the oldest trade of a still-open bar", () => {
    const engine = new PartitionEngine(processorOptions({ allowedLatenessMs: 0 }));
    const out: ProcessedMessage[] = [];
    expect(engine.replayFrom()).toBeUndefined();
    engine.ingest(trade({ symbol: "A", timestamp: T0, seq: 0 }), 10, 0, out);
    engine.ingest(trade({ symbol: "B", timestamp: T0 + 30_000, seq: 1 }), 11, 0, out);
    engine.ingest(trade({ symbol: "A", timestamp: T0 + 1, seq: 2 }), 12, 0, out);
    expect(engine.replayFrom()).toBe(10);
    engine.ingest(trade({ symbol: "A", timestamp: T0 + 60_000, seq: 3 }), 13, 0, out);
    expect(engine.replayFrom()).toBe(11);
    engine.ingest(trade({ symbol: "B", timestamp: T0 + 60_000, seq: 4 }), 14, 0, out);
    expect(engine.replayFrom()).toBe(13);
    engine.endOfInput("x", 0, out);
    expect(engine.replayFrom()).toBeUndefined();
  });
});

describe("deduplication", () => {
  test("forgets ids once they are older than the horizon, and a forgotten id comes back as a late trade", () => {
    const engine = new PartitionEngine(processorOptions({ dedupHorizonMs: 120_000, allowedLatenessMs: 0 }));
    const out: ProcessedMessage[] = [];
    const first = trade({ timestamp: T0, seq: 0 });
    engine.ingest(first, 0, 0, out);
    engine.ingest(first, 1, 0, out);
    expect(engine.stats.duplicates).toBe(1);
    engine.ingest(trade({ timestamp: T0 + 180_000, seq: 1 }), 2, 0, out);
    out.length = 0;
    engine.ingest(first, 3, 0, out);
    expect(kinds(out)).toEqual(["trade", "correction"]);
    expect(engine.stats.duplicates).toBe(1);
  });

  test("a copy too old to check is kept in its open bar, and the bar is recomputed once final", () => {
    const engine = new PartitionEngine(processorOptions({ dedupHorizonMs: 5_000, allowedLatenessMs: 5_000 }));
    const out: ProcessedMessage[] = [];
    const first = trade({ timestamp: T0 + 1_000, seq: 0 });
    engine.ingest(first, 0, 0, out);
    engine.ingest(trade({ timestamp: T0 + 30_000, seq: 1 }), 1, 0, out);
    out.length = 0;
    // 29 s behind the symbol's newest trade: its slice of ids is forgotten, its window still open.
    engine.ingest(first, 2, 0, out);
    expect(kinds(out)).toEqual(["trade"]);
    expect(engine.stats).toMatchObject({ duplicates: 0, unchecked: 1, late: 0 });
    engine.ingest(trade({ timestamp: T0 + 65_000, seq: 2 }), 3, 0, out);
    expect(kinds(out)).toEqual(["trade", "trade", "bar:final:3", "correction"]);
    expect(out.at(-1)).toEqual({ kind: "correction", symbol: "AAA", t: T0 });
  });

  test("a window without such a trade is not recomputed", () => {
    const engine = new PartitionEngine(processorOptions({ dedupHorizonMs: 5_000, allowedLatenessMs: 5_000 }));
    const out: ProcessedMessage[] = [];
    engine.ingest(trade({ timestamp: T0 + 1_000, seq: 0 }), 0, 0, out);
    engine.ingest(trade({ timestamp: T0 + 58_000, seq: 1 }), 1, 0, out);
    engine.ingest(trade({ timestamp: T0 + 54_000, seq: 2 }), 2, 0, out); // 4 s behind: checked
    engine.ingest(trade({ timestamp: T0 + 65_000, seq: 3 }), 3, 0, out);
    expect(kinds(out)).toEqual(["trade", "trade", "trade", "trade", "bar:final:3"]);
    expect(engine.stats.unchecked).toBe(0);
  });
});

describe("outliers", () => {
  const spiky = () => [
    ...Array.from({ length: 20 }, (_, seq) => trade({ timestamp: T0 + seq, seq, price: 100 + (seq % 3) })),
    trade({ timestamp: T0 + 20, seq: 20, price: 150 }),
  ];

  test("a price far from the symbol's recent mean is flagged, counted and kept in the bar", () => {
    const engine = new PartitionEngine(processorOptions({ outlierWindow: 20 }));
    const out: ProcessedMessage[] = [];
    for (const [offset, t] of spiky().entries()) engine.ingest(t, offset, 0, out);
    engine.endOfInput("x", 0, out);
    expect(out.flatMap((m) => (m.kind === "trade" && m.outlier ? [m.trade.price] : []))).toEqual([150]);
    expect(engine.stats.outliers).toBe(1);
    expect(out.find((m) => m.kind === "bar")).toMatchObject({ bar: { n: 21, h: 150 } });
  });

  test("is left out of the bar when exclusion is on", () => {
    const engine = new PartitionEngine(processorOptions({ outlierWindow: 20, outlierExclude: true }));
    const out: ProcessedMessage[] = [];
    for (const [offset, t] of spiky().entries()) engine.ingest(t, offset, 0, out);
    engine.endOfInput("x", 0, out);
    expect(out.filter((m) => m.kind === "trade")).toHaveLength(21);
    expect(out.find((m) => m.kind === "bar")).toMatchObject({ bar: { n: 20, h: 102 } });
  });

  test("constant prices flag nothing", () => {
    const engine = new PartitionEngine(processorOptions({ outlierWindow: 5 }));
    const out: ProcessedMessage[] = [];
    for (let seq = 0; seq < 50; seq++) engine.ingest(trade({ timestamp: T0 + seq, seq }), seq, 0, out);
    expect(engine.stats.outliers).toBe(0);
  });
});
