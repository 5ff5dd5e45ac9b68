import { describe, expect, test } from "bun:test";
import type { RejectionReason } from "../../../src/modules/contracts/index.ts";
import { tradeCount } from "../../../src/modules/ingest/decode.ts";
import {
  type DecodeContext,
  decodeFinnhubFrame,
  frameHash,
  liveSeq,
} from "../../../src/modules/ingest/index.ts";
import { buildFrames } from "../../../src/modules/simulator/frames.ts";
import { Market } from "../../../src/modules/simulator/market.ts";
import { createRandom } from "../../../src/modules/simulator/random.ts";

const ctx = (overrides: Partial<DecodeContext> = {}): DecodeContext => ({
  source: "finnhub",
  now: 1_700_000_000_500,
  seq: 1_000,
  idPrefix: undefined,
  ...overrides,
});

const trade = { s: "AAPL", p: 189.5, t: 1_700_000_000_000, v: 100, c: ["1", "12"] };
const frameOf = (...data: unknown[]) => JSON.stringify({ type: "trade", data });

describe("decodeFinnhubFrame", () => {
  test("enriches a valid trade per the contract", () => {
    const text = frameOf(trade);
    const decoded = decodeFinnhubFrame(text, ctx());
    expect(decoded.type).toBe("trade");
    expect(decoded.rejections).toEqual([]);
    expect(decoded.trades).toEqual([
      {
        id: `${frameHash(text)}:0`,
        symbol: "AAPL",
        price: 189.5,
        timestamp: 1_700_000_000_000,
        volume: 100,
        conditions: ["1", "12"],
        processed_at: 1_700_000_000_500,
        source: "finnhub",
        seq: 1_000,
      },
    ]);
    expect(decoded.nextSeq).toBe(1_001);
  });

  test("keeps zero-volume price updates, and null or missing conditions become an empty list", () => {
    const { c: _, ...noConditions } = trade;
    const decoded = decodeFinnhubFrame(frameOf({ ...trade, v: 0, c: null }, noConditions), ctx());
    expect(decoded.trades.map((t) => [t.volume, t.conditions])).toEqual([
      [0, []],
      [100, []],
    ]);
  });

  test("trims the symbol", () => {
    expect(decodeFinnhubFrame(frameOf({ ...trade, s: " IBM " }), ctx()).trades[0]!.symbol).toBe("IBM");
  });

  const tradeCases: [RejectionReason, string, unknown][] = [
    ["trade_not_object", "a number", 42],
    ["trade_not_object", "null", null],
    ["trade_not_object", "an array", [trade]],
    ["symbol_invalid", "missing s", { ...trade, s: undefined }],
    ["symbol_invalid", "empty s", { ...trade, s: "" }],
    ["symbol_invalid", "blank s", { ...trade, s: "  " }],
    ["symbol_invalid", "numeric s", { ...trade, s: 7 }],
    ["price_invalid", "zero p", { ...trade, p: 0 }],
    ["price_invalid", "negative p", { ...trade, p: -1 }],
    ["price_invalid", "string p", { ...trade, p: "189.5" }],
    ["price_invalid", "missing p", { ...trade, p: undefined }],
    ["timestamp_invalid", "fractional t", { ...trade, t: 1.5 }],
    ["timestamp_invalid", "negative t", { ...trade, t: -5 }],
    ["timestamp_invalid", "string t", { ...trade, t: "1700000000000" }],
    ["timestamp_invalid", "t past year 275760", { ...trade, t: 9e15 }],
    ["volume_invalid", "negative v", { ...trade, v: -1 }],
    ["volume_invalid", "string v", { ...trade, v: "100" }],
    ["volume_invalid", "missing v", { ...trade, v: undefined }],
    ["conditions_invalid", "c not a list", { ...trade, c: "1" }],
    ["conditions_invalid", "c with a number", { ...trade, c: ["1", 2] }],
  ];

  test.each(tradeCases)("rejects %s (%s) and keeps the original payload", (reason, _what, bad) => {
    const decoded = decodeFinnhubFrame(frameOf(bad), ctx());
    expect(decoded.trades).toEqual([]);
    expect(decoded.rejections).toEqual([{ reason, index: 0, payload: JSON.stringify(bad) }]);
  });

  test("an overflowing number parses as Infinity and is rejected", () => {
    const text = `{"type":"trade","data":[{"s":"A","p":1e400,"t":1,"v":1},{"s":"A","p":1,"t":1,"v":1e400}]}`;
    expect(decodeFinnhubFrame(text, ctx()).rejections.map((r) => r.reason)).toEqual([
      "price_invalid",
      "volume_invalid",
    ]);
  });

  const frameCases: [RejectionReason, string][] = [
    ["not_json", `{"type":"trade","data":[{"s":"AAPL"`],
    ["not_json", ""],
    ["frame_invalid", "42"],
    ["frame_invalid", "null"],
    ["frame_invalid", `[{"type":"trade"}]`],
    ["frame_invalid", `{"type":"trade"}`],
    ["frame_invalid", `{"type":"trade","data":{}}`],
    ["frame_invalid", `{"type":"news","data":[]}`],
    ["frame_invalid", `{"type":"error"}`],
  ];

  test.each(frameCases)("rejects the whole frame as %s: %s", (reason, text) => {
    const decoded = decodeFinnhubFrame(text, ctx());
    expect(decoded.type).toBe("invalid");
    expect(decoded.trades).toEqual([]);
    expect(decoded.rejections).toEqual([{ reason, index: -1, payload: text }]);
  });

  test("the valid trades of a mixed frame still go through", () => {
    const decoded = decodeFinnhubFrame(frameOf(trade, { ...trade, p: -1 }, { ...trade, s: "MSFT" }), ctx());
    expect(decoded.trades.map((t) => [t.symbol, t.id.split(":")[1]])).toEqual([
      ["AAPL", "0"],
      ["MSFT", "2"],
    ]);
    expect(decoded.rejections.map((r) => [r.reason, r.index])).toEqual([["price_invalid", 1]]);
  });

  test("reads ping and error frames", () => {
    expect(decodeFinnhubFrame(`{"type":"ping"}`, ctx())).toMatchObject({
      type: "ping",
      trades: [],
      rejections: [],
    });
    const error = decodeFinnhubFrame(`{"type":"error","msg":"Subscribing to too many symbols"}`, ctx());
    expect(error).toMatchObject({
      type: "error",
      message: "Subscribing to too many symbols",
      rejections: [],
    });
  });
});

describe("trade identity", () => {
  test("two identical trades in one frame keep distinct ids and consecutive seqs", () => {
    const decoded = decodeFinnhubFrame(frameOf(trade, trade), ctx());
    const [a, b] = decoded.trades;
    expect(a!.id).not.toBe(b!.id);
    expect([a!.seq, b!.seq]).toEqual([1_000, 1_001]);
  });

  test("identical frames get identical ids (redundant feeds dedup downstream), different frames do not", () => {
    const text = frameOf(trade, { ...trade, v: 5 });
    const first = decodeFinnhubFrame(text, ctx()).trades.map((t) => t.id);
    const again = decodeFinnhubFrame(text, ctx({ now: 1_800_000_000_000, seq: 9 })).trades.map((t) => t.id);
    const other = decodeFinnhubFrame(frameOf(trade, { ...trade, v: 6 }), ctx()).trades.map((t) => t.id);
    expect(again).toEqual(first);
    expect(other[0]).not.toBe(first[0]);
  });

  test("a given id prefix (replay: file identity + line) replaces the frame hash", () => {
    const decoded = decodeFinnhubFrame(frameOf(trade, trade), ctx({ idPrefix: "abcd:17" }));
    expect(decoded.frameId).toBe("abcd:17");
    expect(decoded.trades.map((t) => t.id)).toEqual(["abcd:17:0", "abcd:17:1"]);
  });

  test("seq advances by the frame's positions, rejected ones included, so ids and seqs stay aligned", () => {
    const decoded = decodeFinnhubFrame(frameOf(trade, { ...trade, p: 0 }, trade), ctx({ seq: 10 }));
    expect(decoded.trades.map((t) => t.seq)).toEqual([10, 12]);
    expect(decoded.nextSeq).toBe(13);
  });

  test("live seq is clock-based, so it keeps growing across restarts, and never goes back", () => {
    expect(liveSeq(0, 1_700_000_000_000)).toBe(1_700_000_000_000_000);
    expect(liveSeq(1_700_000_000_000_050, 1_700_000_000_000)).toBe(1_700_000_000_000_050);
    expect(Number.isSafeInteger(liveSeq(0, Date.UTC(2200, 0, 1)))).toBe(true);
  });
});

describe("tradeCount", () => {
  test("counts the entries of a trade frame, valid or not, and only of a trade frame", () => {
    expect(tradeCount(frameOf(trade, trade, { s: "" }))).toBe(3);
    expect(tradeCount(JSON.stringify({ type: "ping" }))).toBeUndefined();
    expect(tradeCount(JSON.stringify({ type: "error", msg: "x" }))).toBeUndefined();
    expect(tradeCount('{"type":"trade","data":[')).toBeUndefined();
    expect(tradeCount("null")).toBeUndefined();
    expect(tradeCount('{"type":"trade","data":[]}')).toBe(0);
    expect(tradeCount('{"data":[{"p":1,"s":"A","c":["1","12"]},{"v":0}],"type":"trade"}')).toBe(2);
  });

  test("agrees with parsing on the frames the simulator writes, malformed ones included", () => {
    const market = new Market(7);
    const random = createRandom(7);
    const symbols = ["AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD"];
    const trades = Array.from({ length: 20_000 }, (_, i) =>
      market.trade(symbols[i % 3]!, 1_700_000_000_000 + i),
    );
    const faults = { duplicateFrameRatio: 0, malformedRatio: 0.3 };
    for (const text of buildFrames(trades, 40, faults, random)) {
      let parsed: { data: unknown[] } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        // A truncated frame: left to the decoder, or counted, either way dropped.
        continue;
      }
      expect(tradeCount(text)).toBe(parsed!.data.length);
    }
  });
});
