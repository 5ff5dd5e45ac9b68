import { expect, test } from "bun:test";
import { RecentTouches } from "../../../../src/runtime/store/cassandra/recent-touches.ts";

test("a lookup row is fresh once written, until the refresh interval has passed", () => {
  let now = 1_000;
  const touches = new RecentTouches(500, () => now);
  expect(touches.fresh("AAPL\u0000ym")).toBe(false);
  touches.written(["AAPL\u0000ym"]);
  now += 499;
  expect(touches.fresh("AAPL\u0000ym")).toBe(true);
  expect(touches.fresh("MSFT\u0000ym")).toBe(false);
  now += 1;
  expect(touches.fresh("AAPL\u0000ym")).toBe(false);
  touches.written(["AAPL\u0000ym"]);
  expect(touches.fresh("AAPL\u0000ym")).toBe(true);
});
