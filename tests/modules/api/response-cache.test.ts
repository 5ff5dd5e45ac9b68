import { afterEach, expect, test } from "bun:test";
import { ResponseCache } from "../../../src/modules/api/response-cache.ts";
import { Counter, type createRegistry } from "../../../src/runtime/metrics/index.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, trade } from "./support.ts";

const NOW = Date.UTC(2024, 4, 2, 15, 30);
const MINUTE = 60_000;
const DAY_START = Date.UTC(2024, 4, 1);

const lookups = () => new Counter({ name: "lookups", help: "-", labelNames: ["result"], registers: [] });
const bytes = (n: number) => new Blob([new Uint8Array(n)]);

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const counts = async (registry: ReturnType<typeof createRegistry>) => {
  const metric = await registry.getSingleMetric("api_cache_lookups_total")?.get();
  const of = (result: string) => metric?.values.find((v) => v.labels.result === result)?.value ?? 0;
  return { hit: of("hit"), miss: of("miss") };
};

test("an answer is served only under the version it was built under", () => {
  const cache = new ResponseCache(1_000, lookups());
  cache.set("a", 1, bytes(10));
  expect(cache.get("a", 1, 0)?.size).toBe(10);
  expect(cache.get("a", 2, 0)).toBeUndefined();
  expect(cache.get("b", 1, 0)).toBeUndefined();
});

test("an answer with an expiry is served only before it", () => {
  const cache = new ResponseCache(1_000, lookups());
  cache.set("a", 1, bytes(10), 100);
  expect(cache.get("a", 1, 99)).toBeDefined();
  expect(cache.get("a", 1, 100)).toBeUndefined();
});

test("the least recently used answers leave first once the size bound is passed; an oversized one is not kept", () => {
  const cache = new ResponseCache(100, lookups());
  cache.set("a", 1, bytes(40));
  cache.set("b", 1, bytes(40));
  cache.get("a", 1, 0);
  cache.set("c", 1, bytes(40));
  expect(cache.get("b", 1, 0)).toBeUndefined();
  expect(cache.get("a", 1, 0)).toBeDefined();
  expect(cache.get("c", 1, 0)).toBeDefined();
  cache.set("d", 1, bytes(101));
  expect(cache.get("d", 1, 0)).toBeUndefined();
  expect(cache.get("a", 1, 0)).toBeDefined();
});

test("a settled range is answered from the cache until a write, then the new data shows at once", async () => {
  fixture = createApiFixture({}, () => NOW);
  const trades = [trade("AAA", DAY_START + MINUTE, 10), trade("AAA", DAY_START + 5 * MINUTE, 11)];
  await fixture.store.writeTrades(trades);
  await fixture.store.writeBars(minuteBarsOf(trades));
  const url = `/v1/bars/AAA?from=${DAY_START}&to=${DAY_START + 86_400_000}`;
  const first = await fixture.json<{ results: { c: number }[] }>(url);
  const second = await fixture.json<{ results: { c: number }[] }>(url);
  expect(second.body).toEqual(first.body);
  expect(second.headers.get("content-type")).toBe("application/json");
  expect(await counts(fixture.registry)).toEqual({ hit: 1, miss: 1 });

  const late = [trade("AAA", DAY_START + 9 * MINUTE, 12)];
  await fixture.store.writeBars(minuteBarsOf(late));
  const third = await fixture.json<{ results: { c: number }[] }>(url);
  expect(third.body.results.map((bar) => bar.c)).toEqual([10, 11, 12]);

  const tradesUrl = `/v1/trades/AAA?from=${DAY_START}&to=${DAY_START + 86_400_000}`;
  await fixture.json(tradesUrl);
  await fixture.store.writeTrades(late);
  const trades2 = await fixture.json<{ results: { p: number }[] }>(tradesUrl);
  expect(trades2.body.results.map((t) => t.p)).toEqual([12, 11, 10]);
});

test("writes of other symbols leave an answer cached; a write of its own symbol makes it a miss", async () => {
  fixture = createApiFixture({}, () => NOW);
  const aaa = [trade("AAA", DAY_START + MINUTE, 10)];
  await fixture.store.writeTrades(aaa);
  await fixture.store.writeBars(minuteBarsOf(aaa));
  const url = `/v1/bars/AAA?from=${DAY_START}&to=${DAY_START + 86_400_000}`;
  const closes = async () =>
    (await fixture!.json<{ results: { c: number }[] }>(url)).body.results.map((bar) => bar.c);
  expect(await closes()).toEqual([10]);

  const bbb = [trade("BBB", DAY_START + MINUTE, 20)];
  await fixture.store.writeTrades(bbb);
  await fixture.store.writeBars(minuteBarsOf(bbb));
  expect(await closes()).toEqual([10]);
  expect(await counts(fixture.registry)).toEqual({ hit: 1, miss: 1 });

  await fixture.store.writeBars(minuteBarsOf([trade("AAA", DAY_START + 2 * MINUTE, 11)]));
  expect(await closes()).toEqual([10, 11]);
  expect(await counts(fixture.registry)).toEqual({ hit: 1, miss: 2 });
});

test("bars over ranges that end now or later, and trade pages with a cursor but no `to`, are never cached", async () => {
  fixture = createApiFixture({}, () => NOW);
  await fixture.store.writeTrades([trade("AAA", NOW - 2 * MINUTE, 10), trade("AAA", NOW - MINUTE, 11)]);
  await fixture.json(`/v1/bars/AAA?from=${NOW - MINUTE * 30}&to=${NOW + 1}`);
  await fixture.json("/v1/bars/AAA");
  const page = await fixture.json<{ next_cursor: string }>("/v1/trades/AAA?limit=1");
  const before = await counts(fixture.registry);
  await fixture.json(`/v1/trades/AAA?limit=1&cursor=${page.body.next_cursor}`);
  await fixture.json(`/v1/trades/AAA?limit=1&cursor=${page.body.next_cursor}`);
  expect(await counts(fixture.registry)).toEqual(before);
});

test("the latest trades are served from the cache until a write, or until a trade enters or leaves the range by the clock", async () => {
  let now = NOW;
  fixture = createApiFixture({}, () => now);
  const older = trade("AAA", NOW - 10 * MINUTE, 10);
  const ahead = trade("AAA", NOW + 2 * MINUTE, 12); // stamped by a source clock ahead of ours
  await fixture.store.writeTrades([older, trade("AAA", NOW - 5 * MINUTE, 11), ahead]);
  const prices = async () =>
    (await fixture!.json<{ results: { p: number }[] }>("/v1/trades/AAA")).body.results.map((t) => t.p);

  expect(await prices()).toEqual([11, 10]);
  now = NOW + MINUTE;
  expect(await prices()).toEqual([11, 10]);
  expect(await counts(fixture.registry)).toEqual({ hit: 1, miss: 1 });

  now = NOW + 2 * MINUTE;
  expect(await prices()).toEqual([12, 11, 10]);
  now = older.timestamp + 86_400_000 - 1;
  expect(await prices()).toEqual([12, 11, 10]);
  now = older.timestamp + 86_400_000;
  expect(await prices()).toEqual([12, 11]);
  expect(await counts(fixture.registry)).toEqual({ hit: 2, miss: 3 });

  await fixture.store.writeTrades([trade("AAA", now - MINUTE, 13)]);
  expect(await prices()).toEqual([13, 12, 11]);
  expect(await prices()).toEqual([13, 12, 11]);
  expect(await counts(fixture.registry)).toEqual({ hit: 3, miss: 4 });
});

test("API_CACHE_MB=0 turns the cache off", async () => {
  fixture = createApiFixture({ cacheMb: 0 }, () => NOW);
  const url = `/v1/bars/AAA?from=${DAY_START}&to=${DAY_START + 86_400_000}`;
  expect((await fixture.get(url)).status).toBe(200);
  expect((await fixture.get(url)).status).toBe(200);
  expect(await counts(fixture.registry)).toEqual({ hit: 0, miss: 0 });
});
