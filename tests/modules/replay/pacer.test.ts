import { expect, test } from "bun:test";
import { Pacer } from "../../../src/modules/replay/index.ts";

test("at recorded pace an event is due after its event-time distance from the first", () => {
  const pacer = new Pacer(1);
  expect(pacer.delayFor(10_000, 500)).toBe(0);
  expect(pacer.delayFor(10_300, 500)).toBe(300);
  expect(pacer.delayFor(10_300, 700)).toBe(100);
  expect(pacer.delayFor(9_000, 700)).toBe(0);
});

test("N times faster divides the gaps; max never waits", () => {
  const fast = new Pacer(10);
  fast.delayFor(0, 0);
  expect(fast.delayFor(60_000, 0)).toBe(6_000);
  const max = new Pacer("max");
  max.delayFor(0, 0);
  expect(max.delayFor(86_400_000, 0)).toBe(0);
});
