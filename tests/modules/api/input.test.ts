import { afterAll, expect, test } from "bun:test";
import fc from "fast-check";
import { createApiFixture, trade } from "./support.ts";

const fixture = createApiFixture({ maxStreamSymbols: 3 });
afterAll(() => fixture.cleanup());
await fixture.store.writeTrades([trade("AAA", Date.now() - 60_000, 1)]);

/** Values near the valid ones and anything else, as a fuzzer or a careless client sends them. */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom("", "0", "-1", "1e3", "true", "asc", "prev", "hour", "2013-10-07", "9".repeat(20)),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

const parameters = [
  "multiplier",
  "timespan",
  "from",
  "to",
  "limit",
  "sort",
  "include_open",
  "fill",
  "cursor",
];
const query = fc.dictionary(fc.constantFrom(...parameters, "symbols", "other"), value, { maxKeys: 4 });

test("no query string makes a route answer anything but 200 or 400", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("/v1/bars/AAA", "/v1/trades/AAA", "/v1/symbols", "/v1/stream"),
      query,
      async (path, params) => {
        const response = await fixture.get(`${path}?${new URLSearchParams(params)}`);
        await response.body?.cancel();
        expect([200, 400]).toContain(response.status);
      },
    ),
    { numRuns: 400 },
  );
});

test("no symbol in the path makes a route answer anything but 200, 400 or 404", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "binary", minLength: 1, maxLength: 80 }), async (symbol) => {
      const response = await fixture.get(`/v1/bars/${encodeURIComponent(symbol)}`);
      expect([200, 400, 404]).toContain(response.status);
    }),
    { numRuns: 200 },
  );
});

test("a parameter given twice is a 400 that says so", async () => {
  for (const url of [
    "/v1/bars/AAA?limit=5&limit=6",
    "/v1/trades/AAA?sort=asc&sort=desc",
    "/v1/stream?symbols=AAA&symbols=BBB",
  ]) {
    const { status, body } = await fixture.json(url);
    const parameter = new URL(url, "http://x").searchParams.keys().next().value;
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "BAD_REQUEST", details: [{ parameter, message: "given more than once" }] },
    });
  }
});
