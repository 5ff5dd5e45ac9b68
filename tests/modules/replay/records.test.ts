import { afterAll, expect, test } from "bun:test";
import { fileIdentity, ReplayFile, type ReplayRecord } from "../../../src/modules/replay/index.ts";
import { tempFiles } from "./support.ts";

const files = tempFiles();
afterAll(() => files.remove());

const records = async (path: string) => {
  const out: ReplayRecord[] = [];
  for await (const record of new ReplayFile(path).records()) out.push(record);
  return out;
};

test("NDJSON lines are frames; blank lines are skipped but still counted for line numbers", async () => {
  const path = files.write("f.ndjson", `{"type":"ping"}\n\n{"type":"trade","data":[]}\n`);
  expect(await records(path)).toEqual([
    { kind: "frame", line: 1, text: `{"type":"ping"}` },
    { kind: "frame", line: 3, text: `{"type":"trade","data":[]}` },
  ]);
});

test("CSV rows become trades, a header row is skipped, and a malformed row keeps its line number", async () => {
  const path = files.write("t.CSV", "symbol,timestamp_ms,price,volume,conditions\nAAPL,1,2,3\nbroken\n");
  expect(await records(path)).toEqual([
    { kind: "trade", line: 2, text: "AAPL,1,2,3", trade: { s: "AAPL", t: 1, p: 2, v: 3, c: null } },
    {
      kind: "invalid",
      line: 3,
      text: "broken",
      detail: "expected symbol,timestamp_ms,price,volume[,conditions]",
    },
  ]);
});

test("file identity follows the content, not the name", async () => {
  const a = files.write("a.ndjson", "x\n");
  const b = files.write("b.ndjson", "x\n");
  const c = files.write("c.ndjson", "y\n");
  expect(await fileIdentity(a)).toBe(await fileIdentity(b));
  expect(await fileIdentity(a)).not.toBe(await fileIdentity(c));
  expect(await fileIdentity(a)).toMatch(/^[0-9a-f]{16}$/);
});
