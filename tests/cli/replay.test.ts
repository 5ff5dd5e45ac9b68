import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTickflowProcess } from "../support/dev-process.ts";
import { goldenDay, goldenDifferences, goldenSymbols, goldenTape } from "../support/golden.ts";
import { readStored, storeCounts } from "../support/sqlite-contents.ts";
import { runReplay } from "./support.ts";

/** `bun run replay` as a user runs it, into the SQLite file at `dbPath`. */
const replay = (dbPath: string, ...files: string[]) => runReplay({ SQLITE_PATH: dbPath }, ...files);

describe("bun run replay of the golden tape into a fresh SQLite file", () => {
  let dir: string;
  let dbPath: string;
  let firstRun: { code: number; output: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tickflow-replay-"));
    dbPath = join(dir, "golden.db");
    firstRun = await replay(dbPath, goldenTape);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("exits 0 once everything is durable", () => {
    expect(firstRun.output).not.toContain('"level":50');
    expect(firstRun.code).toBe(0);
  });

  test("stores exactly the 49,644 trades", () => {
    expect(storeCounts(dbPath).trades).toBe(49_644);
  });

  test("stores exactly the 887 golden bars, all final", async () => {
    const { bars } = await readStored(dbPath, goldenSymbols, goldenDay);
    expect(bars).toHaveLength(887);
    expect(await goldenDifferences(bars)).toEqual([]);
  });

  test("replaying the same file again adds nothing (same ids, idempotent writes)", async () => {
    const again = await replay(dbPath, goldenTape);
    expect(again.code).toBe(0);
    expect(storeCounts(dbPath).trades).toBe(49_644);
  });

  test("a missing file is reported and fails the run", async () => {
    const missing = await replay(join(dir, "other.db"), join(dir, "no-such-file.ndjson"));
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain("no-such-file.ndjson");
  });

  test("a replay stopped by a signal before the end of its input fails the run, saying so", async () => {
    const paced = await startTickflowProcess({
      args: ["replay", goldenTape],
      env: { SQLITE_PATH: join(dir, "paced.db"), REPLAY_SPEED: "1", HOST: "127.0.0.1", PORT: "0" },
      ready: /"msg":"(ingest started) \(replay\)"/,
    });
    await Bun.sleep(200); // the signal handlers are set right after the last module started
    expect(await paced.stop()).toBe(1);
    expect(paced.log.join("\n")).toContain("replay stopped before the end of its input");
  });

  test("replay without files is a usage error", async () => {
    const none = await replay(join(dir, "none.db"));
    expect(none.code).toBe(2);
    expect(none.output).toContain("replay needs at least one FILE");
  });
});
