import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encodeCursor } from "../../../src/runtime/store/index.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, namedParameters, trade } from "./support.ts";

const NOW = Date.UTC(2024, 4, 2, 15, 30);
const HOUR = 3_600_000;

let fixture: ApiFixture;

beforeAll(async () => {
  fixture = createApiFixture({ maxRangeDays: 7 }, () => NOW);
  await fixture.store.writeTrades([
    trade("AAA", NOW - 30 * HOUR, 10),
    trade("AAA", NOW - 2 * HOUR, 11, 5),
    trade("AAA", NOW - HOUR, 12, 0),
    trade("BBB", NOW - 3 * HOUR, 200),
  ]);
});
afterAll(() => fixture.cleanup());

interface TradesBody {
  symbol: string;
  results: { id: string; t: number; p: number; v: number; c: string[]; processed_at: number }[];
  next_cursor: string | null;
}

test("trades of the last day come newest first, in the documented shape", async () => {
  const { status, body } = await fixture.json<TradesBody>("/v1/trades/AAA");
  expect(status).toBe(200);
  expect(body.symbol).toBe("AAA");
  expect(body.next_cursor).toBeNull();
  expect(body.results.map((t) => t.p)).toEqual([12, 11]);
  expect(body.results[0]).toEqual({
    id: expect.any(String),
    t: NOW - HOUR,
    p: 12,
    v: 0,
    c: ["1"],
    processed_at: NOW - HOUR + 2,
  });
});

test("from, to, sort and limit select and order the page; the cursor continues it", async () => {
  const range = `from=${NOW - 48 * HOUR}&to=${NOW}`;
  const first = await fixture.json<TradesBody>(`/v1/trades/AAA?${range}&sort=asc&limit=2`);
  expect(first.body.results.map((t) => t.p)).toEqual([10, 11]);
  const second = await fixture.json<TradesBody>(
    `/v1/trades/AAA?${range}&sort=asc&limit=2&cursor=${first.body.next_cursor}`,
  );
  expect(second.body).toMatchObject({ results: [{ p: 12 }], next_cursor: null });
  const iso = await fixture.json<TradesBody>(
    `/v1/trades/AAA?from=${new Date(NOW - 90 * 60_000).toISOString()}&to=${new Date(NOW).toISOString()}`,
  );
  expect(iso.body.results.map((t) => t.p)).toEqual([12]);
});

test("an unknown symbol has no trades", async () => {
  const { status, body } = await fixture.json<TradesBody>("/v1/trades/ZZZZ");
  expect(status).toBe(200);
  expect(body).toEqual({ symbol: "ZZZZ", results: [], next_cursor: null });
});

test("symbols lists each symbol with its last trade and today's (UTC) trade count", async () => {
  const justNow = Date.now();
  const late = trade("CCC", justNow, 3);
  await fixture.store.writeTrades([late]);
  await fixture.store.writeBars(minuteBarsOf([late], { final: false }));
  const { status, body } = await fixture.json<{ results: unknown[] }>("/v1/symbols");
  expect(status).toBe(200);
  expect(body.results).toEqual([
    { symbol: "AAA", last_price: 12, last_trade_at: NOW - HOUR, trades_today: 0 },
    { symbol: "BBB", last_price: 200, last_trade_at: NOW - 3 * HOUR, trades_today: 0 },
    { symbol: "CCC", last_price: 3, last_trade_at: justNow, trades_today: 1 },
  ]);
});

describe("parameters", () => {
  const url = (query: string) => `/v1/trades/AAA?${query}`;
  for (const query of [
    `from=${NOW - HOUR}`,
    "from=2024-05-01",
    "to=2024-05-02T12:00:00-04:00",
    "limit=50000",
    "sort=asc",
    "sort=desc",
    `cursor=${encodeCursor({ t: NOW, id: "x" })}`,
  ]) {
    test(`accepts ${query}`, async () => {
      expect((await fixture.get(url(query))).status).toBe(200);
    });
  }

  for (const [parameter, query] of [
    ["from", "from=noon"],
    ["to", "to=2024-05-02T12:00"],
    ["from", "from=2024-04-31T00:00:00Z"],
    ["to", "to=2023-02-29"],
    ["from", `from=${NOW}&to=${NOW - 1}`],
    ["from", `from=${NOW - 8 * 24 * HOUR}&to=${NOW}`],
    ["limit", "limit=-1"],
    ["limit", "limit=50001"],
    ["sort", "sort=newest"],
    ["cursor", "cursor=%%%"],
    ["cursor", `cursor=${encodeCursor({ t: NOW })}`],
  ] as const) {
    test(`rejects ${query} with a 400 naming ${parameter}`, async () => {
      const { status, body } = await fixture.json(url(query));
      expect(status).toBe(400);
      expect(namedParameters(body)).toEqual([parameter]);
    });
  }

  test("rejects a malformed symbol", async () => {
    const { status, body } = await fixture.json("/v1/trades/%20AAA");
    expect(status).toBe(400);
    expect(namedParameters(body)).toEqual(["symbol"]);
  });
});
