import { afterEach, describe, expect, test } from "bun:test";
import type { ApiOptions, StreamEvent } from "../../../src/modules/api/index.ts";
import { startStreamFeed } from "../../../src/modules/api/index.ts";
import { type ProcessedMessage, topics } from "../../../src/modules/contracts/index.ts";
import { createMemoryTransport } from "../../../src/runtime/transport/memory.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import { SseReader } from "./sse.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, namedParameters, trade } from "./support.ts";

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
const tradeEvent = (symbol: string): StreamEvent => {
  counter += 1;
  return {
    type: "trade",
    symbol,
    data: { symbol, id: `${symbol}-${counter}`, t: counter, p: 1, v: 1, c: [] },
  };
};

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
  const bar = { symbol: "BBB", t: 60_000, T: 120_000, o: 1, h: 2, l: 1, c: 2, v: 3, n: 2 };
  fixture.hub.publish([tradeEvent("AAA"), tradeEvent("CCC"), { type: "bar", symbol: "BBB", data: bar }]);
  const events = await reader.until((all) => all.length >= 2);
  expect(events.map((event) => [event.event, event.data])).toEqual([
    ["trade", expect.objectContaining({ symbol: "AAA" })],
    ["bar", bar],
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
    fixture.hub.publish([tradeEvent("AAA"), tradeEvent("AAA"), tradeEvent("BBB")]);
    await first.until((all) => all.length >= 2);
    const seen = tradeIds(first);
    await first.cancel();
    await waitFor(() => fixture.hub.clients === 0, 5_000, "the client to be gone");

    const missed = [tradeEvent("AAA"), tradeEvent("BBB"), tradeEvent("AAA")];
    fixture.hub.publish(missed);
    const second = await connect(fixture, "AAA", first.lastEventId);
    const live = tradeEvent("AAA");
    fixture.hub.publish([live]);
    await second.until((all) => all.length >= 3);
    const ids = (events: StreamEvent[]) => events.map((event) => (event.data as { id: string }).id);
    expect(tradeIds(second)).toEqual(ids([missed[0]!, missed[2]!, live]));
    expect(new Set([...seen, ...tradeIds(second)]).size).toBe(5);
    expect(second.events.some((event) => event.event === "resync")).toBe(false);
  });

  test("a client that saw no event yet resumes from the position it was given", async () => {
    const fixture = make();
    fixture.hub.publish([tradeEvent("AAA")]);
    const first = await connect(fixture, "AAA");
    await first.until(() => first.lastEventId !== undefined);
    await first.cancel();
    const missed = tradeEvent("AAA");
    fixture.hub.publish([missed]);
    const second = await connect(fixture, "AAA", first.lastEventId);
    await second.until((all) => all.length >= 1);
    expect(second.events.map((event) => event.data)).toEqual([missed.data]);
  });

  test("a client too far behind is told to re-query, then gets live events", async () => {
    const fixture = make({ streamReplayBuffer: 5 });
    const first = await connect(fixture, "AAA");
    fixture.hub.publish([tradeEvent("AAA")]);
    await first.until((all) => all.length >= 1);
    await first.cancel();
    fixture.hub.publish(Array.from({ length: 10 }, () => tradeEvent("AAA")));
    const second = await connect(fixture, "AAA", first.lastEventId);
    const live = tradeEvent("AAA");
    fixture.hub.publish([live]);
    const events = await second.until((all) => all.length >= 2);
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ["resync", { reason: "too-far-behind" }],
      ["trade", live.data],
    ]);
    expect(events[0]!.id).toBe(fixture.hub.lastEventId.replace(/-\d+$/, "-11"));
  });

  test("a quiet symbol resumes even when other symbols' events left the buffer", async () => {
    const fixture = make({ streamReplayBuffer: 5 });
    const first = await connect(fixture, "QUIET");
    await first.until(() => first.lastEventId !== undefined);
    await first.cancel();
    fixture.hub.publish(Array.from({ length: 20 }, () => tradeEvent("BUSY")));
    const second = await connect(fixture, "QUIET", first.lastEventId);
    const quiet = tradeEvent("QUIET");
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
      fixture.hub.publish(Array.from({ length: 5 }, () => tradeEvent("AAA")));
      await reader.until((all) => all.length >= burst * 5);
    }
    expect(fixture.hub.clients).toBe(1);
  });

  test("a client that stops reading is disconnected when its queue is full, and it is counted", async () => {
    const fixture = make({ streamClientQueue: 10 });
    const reader = await connect(fixture, "AAA");
    fixture.hub.publish(Array.from({ length: 50 }, () => tradeEvent("AAA")));
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
    fixture.hub.publish([tradeEvent("BBB")]);
    await reader.until((all) => all.length >= 1);
    await reader.cancel();
  });
});
