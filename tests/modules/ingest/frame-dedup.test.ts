import { expect, test } from "bun:test";
import { FrameDeduper } from "../../../src/modules/ingest/index.ts";

test("a repeated frame is suppressed within the window and accepted again after it", () => {
  const dedup = new FrameDeduper(2_000);
  expect(dedup.isDuplicate("a", 1_000)).toBe(false);
  expect(dedup.isDuplicate("b", 1_500)).toBe(false);
  expect(dedup.isDuplicate("a", 2_999)).toBe(true);
  expect(dedup.isDuplicate("a", 3_000)).toBe(false);
});

test("memory is bounded by the window: old frames are forgotten", () => {
  const dedup = new FrameDeduper(100);
  for (let i = 0; i < 10_000; i++) dedup.isDuplicate(`frame-${i}`, i);
  expect(dedup.size).toBeLessThanOrEqual(100);
});

test("a zero window turns suppression off", () => {
  const dedup = new FrameDeduper(0);
  expect(dedup.isDuplicate("a", 1)).toBe(false);
  expect(dedup.isDuplicate("a", 1)).toBe(false);
  expect(dedup.size).toBe(0);
});
