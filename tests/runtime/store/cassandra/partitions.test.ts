import { expect, test } from "bun:test";
import { dayKey, dayOf, monthKey, monthOf } from "../../../../src/runtime/store/cassandra/partitions.ts";

test("day and month partitions follow the UTC calendar, before 1970 too", () => {
  for (const iso of [
    "2024-02-29T23:59:59.999Z",
    "2024-12-31T00:00:00.000Z",
    "1969-12-31T12:00:00.000Z",
    "1900-03-01T00:00:00.000Z",
  ]) {
    const time = Date.parse(iso);
    const [year, month, day] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)].map(Number);
    expect(dayKey(dayOf(time))).toEqual([year!, month!, day!]);
    expect(monthKey(monthOf(time))).toEqual([year!, month!]);
  }
  expect(dayOf(Date.UTC(2024, 0, 2)) - dayOf(Date.UTC(2024, 0, 1, 23, 59))).toBe(1);
  expect(monthOf(Date.UTC(2025, 0, 1)) - monthOf(Date.UTC(2024, 11, 31))).toBe(1);
});
