import { afterEach, describe, expect, test } from "bun:test";
import type { ApiOptions } from "../../../src/modules/api/index.ts";
import { startStreamFeed } from "../../../src/modules/api/index.ts";
import { barView, streamTradeView } from "../../../src/modules/api/views.ts";
import { type ProcessedMessage, topics } from "../../../src/modules/contracts/index.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import { SseReader } from "./sse.ts";
import {
  type ApiFixture,
  createApiFixture,
  minuteBarsOf,
  namedParameters,
  trade,
  tradeEvent,
} from "./support.ts";

const fixtures: ApiFixture[] = [];
const make = (overrides: Partial<ApiOptions> = {}) => {
  const fixture = createApiFixture(overrides);
  fixtures.push(fixture);
  return fixture;
};
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.cleanup()));
});

let counter = 0;
/** An event of a new trade of `symbol`. */
const nextTrade = (symbol: string) => tradeEvent(trade(symbol, ++counter, 1));

const connect = async (fixture: ApiFixture, symbols: string, lastEventId?: string) => {
  const response = await fixture.get(`/v1/stream?symbols=${symbols}`, {
    headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return new SseReader(response);
};

const tradeIds = (reader: SseReader) => reader.of("trade").map((event) => (event.data as { id: string }).id);

test("trade and bar events of the watched symbols arrive as they happen, with increasing ids", async () => {
  const fixture = make();
  const reader = await connect(fixture, "AAA,BBB");
  const [bar] = minuteBarsOf([trade("BBB", 60_000, 2)], { final: false });
  fixture.hub.publish([nextTrade("AAA"), nextTrade("CCC"), { kind: "bar", bar: bar! }]);
  const events = await reader.until((all) => all.length >= 2);
  expect(events.map((event) => [event.event, event.data])).toEqual([
    ["trade", expect.objectContaining({ symbol: "AAA" })],
    ["bar", { symbol: "BBB", ...barView(bar!) }],
  ]);
  const seqs = events.map((event) => Number(event.id?.split("-")[1]));
  expect(seqs).toEqual([1, 3]);
});

test("the feed turns processed trades and bar updates into events, and nothing else", async () => {
  const fixture = make();
  const transport = createMemoryTransport({ partitions: 2, capacity: 100 });
  const feed = await startStreamFeed({ transport, hub: fixture.hub, group: `api-test-${++counter}` });
  const reader = await connect(fixture, "FED");
  const traded = trade("FED", 1_700_000_000_123, 42, 7);
  const [bar] = minuteBarsOf([traded], { final: false });
  const messages: ProcessedMessage[] = [
    { kind: "trade", trade: traded, outlier: false },
    { kind: "bar", bar: bar! },
    { kind: "correction", symbol: "FED", t: bar!.t },
    { kind: "trade", trade: trade("OTHER", 1_700_000_000_200, 1), outlier: false },
  ];
  await transport.publish(
    topics.processed,
    messages.map((value) => ({ key: "FED", value })),
  );
  const events = await reader.until((all) => all.length >= 2);
  expect(events.map((event) => [event.event, event.data])).toEqual([
    [
      "trade",
      {
        symbol: "FED",
        id: traded.id,
        t: traded.timestamp,
        p: 42,
        v: 7,
        c: ["1"],
        processed_at: traded.processed_at,
      },
    ],
    [
      "bar",
      {
        symbol: "FED",
        t: bar!.t,
        T: bar!.T,
        o: 42,
        h: 42,
        l: 42,
        c: 42,
        v: 7,
        n: 1,
        vw: 42,
        volatility: null,
        final: false,
        rev: 0,
      },
    ],
  ]);
  await feed.stop();
  await transport.close();
});

test("final bars come as the writer stored them, corrections included; the processor's final bars do not", async () => {
  const fixture = make();
  const transport = createMemoryTransport({ partitions: 2, capacity: 100 });
  const feed = await startStreamFeed({ transport, hub: fixture.hub });
  const reader = await connect(fixture, "FIN");
  const first = trade("FIN", 1_700_000_000_123, 42, 7);
  const [final] = minuteBarsOf([first], { final: true });
  const [corrected] = minuteBarsOf([first, trade("FIN", 1_700_000_000_456, 44, 1)], { final: true });
  // The trade comes after the processor's final bar on the same partition: once it is seen, so was the bar.
  const processed: ProcessedMessage[] = [
    { kind: "bar", bar: final! },
    { kind: "trade", trade: trade("FIN", 1_700_000_000_789, 43), outlier: false },
  ];
  await transport.publish(
    topics.processed,
    processed.map((value) => ({ key: "FIN", value })),
  );
  await transport.publish(
    topics.bars,
    [final!, { ...corrected!, rev: 1 }].map((bar) => ({ key: "FIN", value: bar })),
  );
  const events = await reader.until((all) => all.length >= 3);
  expect(events.filter((event) => event.event === "trade")).toHaveLength(1);
  const bars = events.filter((event) => event.event === "bar");
  expect(bars.map((event) => [event.event, event.data])).toEqual([
    ["bar", expect.objectContaining({ symbol: "FIN", n: 1, final: true, rev: 0 })],
    ["bar", expect.objectContaining({ symbol: "FIN", n: 2, h: 44, final: true, rev: 1 })],
  ]);
  await feed.stop();
  await transport.close();
});

test("heartbeats keep an idle stream alive", async () => {
  const fixture = make({ streamHeartbeatMs: 100 });
  const reader = await connect(fixture, "IDLE");
  const [beat] = await reader.until((all) => all.length > 0, 5_000, "a heartbeat");
  expect(beat).toMatchObject({ event: "heartbeat", data: { t: expect.any(Number) } });
});

describe("Last-Event-ID", () => {
  test("a reconnecting client gets exactly the events it missed, then live ones", async () => {
    const fixture = make();
    const first = await connect(fixture, "AAA");
    fixture.hub.publish([nextTrade("AAA"), nextTrade("AAA"), nextTrade("BBB")]);
    await first.until((all) => all.length >= 2);
    const seen = tradeIds(first);
    await first.cancel();
    await waitFor(() => fixture.hub.clients === 0, 5_000, "the client to be gone");

    const missed = [nextTrade("AAA"), nextTrade("BBB"), nextTrade("AAA")];
    fixture.hub.publish(missed);
    const second = await connect(fixture, "AAA", first.lastEventId);
    const live = nextTrade("AAA");
    fixture.hub.publish([live]);
    await second.until((all) => all.length >= 3);
    expect(tradeIds(second)).toEqual([missed[0]!, missed[2]!, live].map((event) => event.trade.id));
    expect(new Set([...seen, ...tradeIds(second)]).size).toBe(5);
    expect(second.events.some((event) => event.event === "resync")).toBe(false);
  });

  test("a client that saw no event yet resumes from the position it was given", async () => {
    const fixture = make();
    fixture.hub.publish([nextTrade("AAA")]);
    const first = await connect(fixture, "AAA");
    await first.until(() => first.lastEventId !== undefined);
    await first.cancel();
    const missed = nextTrade("AAA");
    fixture.hub.publish([missed]);
    const second = await connect(fixture, "AAA", first.lastEventId);
    await second.until((all) => all.length >= 1);
    expect(second.events.map((event) => event.data)).toEqual([streamTradeView(missed.trade)]);
  });

  test("a client too far behind is told to re-query, then gets live events", async () => {
    const fixture = make({ streamReplayBuffer: 5 });
    const first = await connect(fixture, "AAA");
    fixture.hub.publish([nextTrade("AAA")]);
    await first.until((all) => all.length >= 1);
    await first.cancel();
    fixture.hub.publish(Array.from({ length: 10 }, () => nextTrade("AAA")));
    const second = await connect(fixture, "AAA", first.lastEventId);
    const live = nextTrade("AAA");
    fixture.hub.publish([live]);
    const events = await second.until((all) => all.length >= 2);
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ["resync", { reason: "too-far-behind" }],
      ["trade", streamTradeView(live.trade)],
    ]);
    expect(events[0]!.id).toBe(fixture.hub.lastEventId.replace(/-\d+$/, "-11"));
  });

  test("a quiet symbol resumes even when other symbols' events left the buffer", async () => {
    const fixture = make({ streamReplayBuffer: 5 });
    const first = await connect(fixture, "QUIET");
    await first.until(() => first.lastEventId !== undefined);
    await first.cancel();
    fixture.hub.publish(Array.from({ length: 20 }, () => nextTrade("BUSY")));
    const second = await connect(fixture, "QUIET", first.lastEventId);
    const quiet = nextTrade("QUIET");
    fixture.hub.publish([quiet]);
    expect((await second.until((all) => all.length >= 1)).map((event) => event.event)).toEqual(["trade"]);
  });

  test("an id of another server instance asks for a re-query", async () => {
    const fixture = make();
    const instance = fixture.hub.lastEventId.split("-")[0]!;
    const other = instance === "00000000" ? "00000001" : "00000000";
    for (const id of [`${other}-1`, `${instance}-99`]) {
      const reader = await connect(fixture, "AAA", id);
      const [event] = await reader.until((all) => all.length >= 1);
      expect(event).toMatchObject({ event: "resync", data: { reason: "unknown-event-id" } });
    }
  });
});

describe("slow clients", () => {
  test("a client that reads keeps up with bursts smaller than its queue", async () => {
    const fixture = make({ streamClientQueue: 10 });
    const reader = await connect(fixture, "AAA");
    for (let burst = 1; burst <= 40; burst++) {
      fixture.hub.publish(Array.from({ length: 5 }, () => nextTrade("AAA")));
      await reader.until((all) => all.length >= burst * 5);
    }
    expect(fixture.hub.clients).toBe(1);
  });

  test("a client that stops reading is disconnected when its queue is full, and it is counted", async () => {
    const fixture = make({ streamClientQueue: 10 });
    const reader = await connect(fixture, "AAA");
    fixture.hub.publish(Array.from({ length: 50 }, () => nextTrade("AAA")));
    expect(fixture.hub.clients).toBe(0);
    await reader.end();
    expect(reader.events).toEqual([]);
    const metrics = await fixture.registry.metrics();
    expect(metrics).toContain("sse_slow_clients_disconnected_total 1");
    expect(metrics).toContain("sse_events_dropped_total 11");
    expect(metrics).toContain("sse_clients 0");
  });
});

test("closing the hub ends every stream; new clients get a 503", async () => {
  const fixture = make();
  const reader = await connect(fixture, "AAA");
  expect(await fixture.registry.metrics()).toContain("sse_clients 1");
  fixture.hub.close();
  await reader.end();
  expect((await fixture.get("/v1/stream?symbols=AAA")).status).toBe(503);
});

describe("parameters", () => {
  for (const [parameter, query, headers] of [
    ["symbols", "", {}],
    ["symbols", "symbols=", {}],
    ["symbols", "symbols=A,B,C", {}],
    ["symbols", "symbols=AAA,no%20way", {}],
    ["last-event-id", "symbols=AAA", { "last-event-id": "42" }],
  ] as const) {
    test(`rejects ${query || "no symbols"} ${JSON.stringify(headers)} with a 400 naming ${parameter}`, async () => {
      const fixture = make({ maxStreamSymbols: 2 });
      const { status, body } = await fixture.json(`/v1/stream?${query}`, { headers });
      expect(status).toBe(400);
      expect(namedParameters(body)).toEqual([parameter]);
    });
  }

  test("accepts up to the symbol limit, duplicates and spaces included", async () => {
    const fixture = make({ maxStreamSymbols: 2 });
    const reader = await connect(fixture, "AAA,%20BBB,AAA");
    fixture.hub.publish([nextTrade("BBB")]);
    await reader.until((all) => all.length >= 1);
    await reader.cancel();
  });
});
