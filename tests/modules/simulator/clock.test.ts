import { expect, test } from "bun:test";
import { tradeClock } from "../../../src/modules/simulator/clock.ts";

test("without a backfill trades carry the wall clock", () => {
  let wall = 1_000;
  const clock = tradeClock({ backfillMs: 0, backfillSpeed: 10 }, () => wall);
  wall = 5_000;
  expect(clock()).toBe(5_000);
});

test("a backfill starts in the past, runs fast, then stays on the wall clock, never ahead", () => {
  let wall = 1_000_000;
  const clock = tradeClock({ backfillMs: 60_000, backfillSpeed: 10 }, () => wall);
  expect(clock()).toBe(940_000);
  wall += 1_000;
  expect(clock()).toBe(950_000);
  wall += 5_000;
  expect(clock()).toBe(1_000_000);
  wall += 10_000;
  expect(clock()).toBe(wall);
});
