import { expect, test } from "bun:test";
import { createProgress } from "../../../src/modules/replay/index.ts";

const state = { bytesRead: 50, trades: 1_234, rejected: 1 };

test("a terminal gets one progress line, rewritten in place and ended at the end", () => {
  const written: string[] = [];
  const progress = createProgress("/data/day.ndjson", 100, {
    isTTY: true,
    write: (text) => written.push(text),
  });
  progress.update(state);
  progress.done({ ...state, bytesRead: 100 });
  expect(written[0]).toStartWith("\r");
  expect(written[0]).toContain("replay day.ndjson: 50.0%  1,234 trades");
  expect(written.at(-1)).toContain("100.0%");
  expect(written.at(-1)).toEndWith("\n");
});

test("a pipe or a log file gets no progress line", () => {
  const written: string[] = [];
  const progress = createProgress("/data/day.ndjson", 100, {
    isTTY: false,
    write: (text) => written.push(text),
  });
  progress.update(state);
  progress.done(state);
  expect(written).toEqual([]);
});
