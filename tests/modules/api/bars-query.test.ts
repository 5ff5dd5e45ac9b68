import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MINUTE_MS } from "../../../src/modules/bars/index.ts";
import { type ApiFixture, createApiFixture, minuteBarsOf, namedParameters, trade } from "./support.ts";

interface Bar {
  t: number;
  T: number;
  o: number | null;
  c: number | null;
  n: number;
  v: number;
  vw: number | null;
  final: boolean;
  rev: number;
  filled?: boolean;
}

interface BarsBody {
  symbol: string;
  multiplier: number;
  timespan: string;
  results: Bar[];
  next_cursor: string | null;
}

const BASE = Date.UTC(2020, 0, 6, 10, 0);
const minute = (n: number) => BASE + n * MINUTE_MS;
/** The fixed wall clock of these tests: 30 s into minute 100. */
const NOW = minute(100) + 30_000;

let fixture: ApiFixture;

beforeAll(async () => {
  fixture = createApiFixture({ maxRangeDays: 30 }, () => NOW);
  // FIL trades at minutes -10, 0, 1 and 4; OPN has a closed minute 98 and the open minute 100.
  const closed = [
    trade("FIL", minute(-10) + 5, 9),
    trade("FIL", minute(0) + 1, 10),
    trade("FIL", minute(0) + 2, 12),
    trade("FIL", minute(1) + 7, 11),
    trade("FIL", minute(4), 13),
    trade("FIL", minute(4) + 59_999, 14),
    trade("OPN", minute(98) + 1, 50),
  ];
  const open = [trade("OPN", minute(100) + 1, 51), trade("OPN", minute(100) + 2, 52)];
  await fixture.store.writeTrades([...closed, ...open]);
  await fixture.store.writeBars([...minuteBarsOf(closed), ...minuteBarsOf(open, { final: false })]);
});
afterAll(() => fixture.cleanup());

const bars = async (query: string) => {
  const { status, body } = await fixture.json<BarsBody>(`/v1/bars/${query}`);
  expect(status).toBe(200);
  return body;
};

const closes = (results: Bar[]) => results.map((bar) => [(bar.t - BASE) / MINUTE_MS, bar.c]);

describe("fill", () => {
  const range = `from=${minute(-2)}&to=${minute(6)}`;

  test("none leaves empty minutes out", async () => {
    expect(closes((await bars(`FIL?${range}`)).results)).toEqual([
      [0, 12],
      [1, 11],
      [4, 14],
    ]);
  });

  test("null adds a bar with n = 0 and null prices for each empty minute, marked filled", async () => {
    const { results } = await bars(`FIL?${range}&fill=null`);
    expect(closes(results)).toEqual([
      [-2, null],
      [-1, null],
      [0, 12],
      [1, 11],
      [2, null],
      [3, null],
      [4, 14],
      [5, null],
    ]);
    expect(results[0]).toEqual({
      t: minute(-2),
      T: minute(-1),
      o: null,
      h: null,
      l: null,
      c: null,
      v: 0,
      n: 0,
      vw: null,
      volatility: null,
      final: true,
      rev: 0,
      filled: true,
    } as Bar);
    expect(results.filter((bar) => bar.filled).length).toBe(5);
    expect(results.filter((bar) => bar.n > 0).every((bar) => bar.filled === undefined)).toBe(true);
  });

  test("prev carries the previous close, also from before the range, in both orders", async () => {
    const expected = [
      [-2, 9],
      [-1, 9],
      [0, 12],
      [1, 11],
      [2, 11],
      [3, 11],
      [4, 14],
      [5, 14],
    ];
    const ascending = await bars(`FIL?${range}&fill=prev`);
    expect(closes(ascending.results)).toEqual(expected);
    expect(ascending.results[1]).toMatchObject({
      o: 9,
      h: 9,
      l: 9,
      c: 9,
      n: 0,
      v: 0,
      vw: null,
      filled: true,
    });
    const descending = await bars(`FIL?${range}&fill=prev&sort=desc`);
    expect(closes(descending.results)).toEqual(expected.toReversed());
  });

  test("prev without any earlier trade leaves prices null", async () => {
    const { results } = await bars(`FIL?from=${minute(-13)}&to=${minute(-9)}&fill=prev`);
    expect(closes(results)).toEqual([
      [-13, null],
      [-12, null],
      [-11, null],
      [-10, 9],
    ]);
  });

  test("rolled-up windows are filled too", async () => {
    const { results } = await bars(
      `FIL?multiplier=5&timespan=minute&from=${minute(-10)}&to=${minute(10)}&fill=prev`,
    );
    expect(closes(results)).toEqual([
      [-10, 9],
      [-5, 9],
      [0, 14],
      [5, 14],
    ]);
    expect(results.map((bar) => bar.n)).toEqual([1, 0, 5, 0]);
  });

  test("no window is made up after the one holding now", async () => {
    const { results } = await bars(`OPN?from=${minute(97)}&to=${minute(110)}&fill=null&include_open=true`);
    expect(closes(results)).toEqual([
      [97, null],
      [98, 50],
      [99, null],
      [100, 52],
    ]);
  });
});

describe("include_open", () => {
  const range = `from=${minute(90)}&to=${minute(110)}`;

  test("by default only closed windows are returned", async () => {
    expect(closes((await bars(`OPN?${range}`)).results)).toEqual([[98, 50]]);
    expect(closes((await bars(`OPN?${range}&fill=null`)).results).map(([m]) => m)).toEqual([
      90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
    ]);
  });

  test("true adds the provisional bar of the current window", async () => {
    const { results } = await bars(`OPN?${range}&include_open=1`);
    expect(closes(results)).toEqual([
      [98, 50],
      [100, 52],
    ]);
    expect(results.map((bar) => bar.final)).toEqual([true, false]);
  });

  test("a rolled-up window is final only when it has ended and all its minutes are final", async () => {
    const { results } = await bars(`OPN?multiplier=5&timespan=minute&${range}&include_open=true`);
    expect(results.map((bar) => [(bar.t - BASE) / MINUTE_MS, bar.n, bar.final])).toEqual([
      [95, 1, true],
      [100, 2, false],
    ]);
    const closedOnly = await bars(`OPN?multiplier=1&timespan=hour&from=${minute(0)}&to=${minute(120)}`);
    expect(closedOnly.results).toEqual([]);
  });
});

test("the answer echoes symbol, multiplier and timespan; an unknown symbol has no bars", async () => {
  const body = await bars(`NOPE?multiplier=2&timespan=hour&from=${minute(0)}&to=${minute(600)}`);
  expect(body).toEqual({ symbol: "NOPE", multiplier: 2, timespan: "hour", results: [], next_cursor: null });
});

test("from and to default to the last day before now", async () => {
  expect(closes((await bars("OPN?include_open=true")).results)).toEqual([
    [98, 50],
    [100, 52],
  ]);
  expect(closes((await bars("FIL")).results).map(([m]) => m)).toEqual([-10, 0, 1, 4]);
});

describe("parameters", () => {
  /** The bars of FIL between minutes 0 and 10, with `query` setting or replacing parameters. */
  const url = (query: string) => {
    const params = new URLSearchParams({ from: String(minute(0)), to: String(minute(10)) });
    for (const [name, value] of new URLSearchParams(query)) params.set(name, value);
    return `/v1/bars/FIL?${params}`;
  };
  const valid = [
    "multiplier=15",
    "timespan=hour",
    "timespan=day",
    `from=${minute(0)}`,
    "from=2020-01-06T10:00:00Z",
    "from=2020-01-06T10:00:00.000%2B01:00",
    "from=2020-01-06",
    "to=2020-01-07",
    "limit=1",
    "limit=50000",
    "sort=desc",
    "include_open=true",
    "include_open=0",
    "fill=none",
    "fill=null",
    "fill=prev",
  ];
  for (const query of valid) {
    test(`accepts ${query}`, async () => {
      const response = await fixture.get(url(query));
      expect(response.status).toBe(200);
    });
  }

  const invalid: [string, string][] = [
    ["multiplier", "multiplier=0"],
    ["multiplier", "multiplier=1.5"],
    ["multiplier", "multiplier=five"],
    ["multiplier", "multiplier=31&timespan=day"],
    ["timespan", "timespan=week"],
    ["from", "from=yesterday"],
    ["from", "from=2020-01-06T10:00:00"],
    ["from", "from=2020-13-45"],
    ["to", "to=1e12"],
    ["from", `from=${minute(10)}&to=${minute(10)}`],
    ["from", `from=${minute(0)}&to=${minute(0) + 31 * 86_400_000}`],
    ["limit", "limit=0"],
    ["limit", "limit=50001"],
    ["limit", "limit=ten"],
    ["sort", "sort=up"],
    ["include_open", "include_open=maybe"],
    ["fill", "fill=zero"],
    ["cursor", "cursor="],
    ["cursor", "cursor=not-a-cursor"],
  ];
  for (const [parameter, query] of invalid) {
    test(`rejects ${query} with a 400 naming ${parameter}`, async () => {
      const { status, body } = await fixture.json(url(query));
      expect(status).toBe(400);
      expect(namedParameters(body)).toEqual([parameter]);
      expect((body as { error: { code: string; message: string } }).error).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(parameter),
      });
    });
  }

  test("rejects a repeated parameter with a 400 naming it", async () => {
    const { status, body } = await fixture.json(`/v1/bars/FIL?limit=5&limit=6`);
    expect(status).toBe(400);
    expect(namedParameters(body)).toEqual(["limit"]);
  });

  test("rejects a malformed symbol with a 400 naming it", async () => {
    const { status, body } = await fixture.json(`/v1/bars/${encodeURIComponent("NOT A SYMBOL")}`);
    expect(status).toBe(400);
    expect(namedParameters(body)).toEqual(["symbol"]);
  });
});
