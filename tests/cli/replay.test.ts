import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bar } from "../../src/modules/contracts/index.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { createSqliteStore } from "../../src/runtime/store/sqlite/index.ts";
import { closeTo, loadGoldenBars } from "../support/golden.ts";

const root = join(import.meta.dir, "../..");
const golden = join(root, "tests/fixtures/aig-ibm-20131007.ndjson");
const DAY = { from: Date.UTC(2013, 9, 7), to: Date.UTC(2013, 9, 8) };

/** `bun run replay` as a user runs it, in a child process with its own environment. */
const replay = async (dbPath: string, ...args: string[]) => {
  const child = Bun.spawn(["bun", "src/main.ts", "replay", ...args], {
    cwd: root,
    env: { ...process.env, SQLITE_PATH: dbPath, PORT: "0", LOG_LEVEL: "warn", LOG_FORMAT: "json" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code, output: stdout + stderr };
};

const countTrades = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.query("SELECT count(*) AS n FROM trades_v2").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("bun run replay of the golden tape into a fresh SQLite file", () => {
  let dir: string;
  let dbPath: string;
  let firstRun: { code: number; output: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tickflow-replay-"));
    dbPath = join(dir, "golden.db");
    firstRun = await replay(dbPath, golden);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("exits 0 once everything is durable", () => {
    expect(firstRun.output).not.toContain('"level":50');
    expect(firstRun.code).toBe(0);
  });

  test("stores exactly the 49,644 trades", () => {
    expect(countTrades(dbPath)).toBe(49_644);
  });

  test("stores exactly the 887 golden bars, all final", async () => {
    const store = createSqliteStore({ path: dbPath, registry: createRegistry() });
    try {
      const expected = await loadGoldenBars();
      const stored: Bar[] = [];
      for (const symbol of ["AIG", "IBM"]) {
        const page = await store.queryBars({ symbol, ...DAY, limit: 5_000, sort: "asc" });
        expect(page.nextCursor).toBeNull();
        stored.push(...page.results);
      }
      expect(stored).toHaveLength(887);
      stored.forEach((bar, index) => {
        const want = expected[index]!;
        expect({
          symbol: bar.symbol,
          t: bar.t,
          o: bar.o,
          h: bar.h,
          l: bar.l,
          c: bar.c,
          v: bar.v,
          n: bar.n,
        }).toEqual({
          symbol: want.symbol,
          t: want.t,
          o: want.o,
          h: want.h,
          l: want.l,
          c: want.c,
          v: want.v,
          n: want.n,
        });
        expect(bar.final).toBe(true);
        expect(bar.rev).toBe(0);
        if (!closeTo(bar.vw, want.vw) || !closeTo(bar.volatility, want.volatility)) {
          throw new Error(
            `bar ${bar.symbol} ${bar.t}: vw ${bar.vw} vs ${want.vw}, volatility ${bar.volatility} vs ${want.volatility}`,
          );
        }
      });
    } finally {
      await store.close();
    }
  });

  test("replaying the same file again adds nothing (same ids, idempotent writes)", async () => {
    const again = await replay(dbPath, golden);
    expect(again.code).toBe(0);
    expect(countTrades(dbPath)).toBe(49_644);
  });

  test("a missing file is reported and fails the run", async () => {
    const missing = await replay(join(dir, "other.db"), join(dir, "no-such-file.ndjson"));
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain("no-such-file.ndjson");
  });

  test("replay without files is a usage error", async () => {
    const none = await replay(join(dir, "none.db"));
    expect(none.code).toBe(2);
    expect(none.output).toContain("replay needs at least one FILE");
  });
});
