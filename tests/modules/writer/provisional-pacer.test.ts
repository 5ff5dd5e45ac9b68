import { expect, test } from "bun:test";
import type { Bar } from "../../../src/modules/contracts/index.ts";
import { ProvisionalPacer } from "../../../src/modules/writer/provisional-pacer.ts";
import { makeBar } from "../../runtime/store/contract.ts";

const bar = (symbol: string, n: number): Bar => makeBar(symbol, 0, { n });

test("holds the newest update per window and hands out only what is due, oldest store first", () => {
  let now = 0;
  const pacer = new ProvisionalPacer(100, () => now);
  expect(pacer.admit("a", bar("A", 1))).toBe(true);
  now = 40;
  expect(pacer.admit("b", bar("B", 1))).toBe(true);
  expect(pacer.admit("a", bar("A", 2))).toBe(false);
  expect(pacer.admit("a", bar("A", 3))).toBe(false);
  expect(pacer.admit("b", bar("B", 2))).toBe(false);
  expect(pacer.due()).toEqual([]);
  now = 100;
  expect(pacer.due()).toEqual([bar("A", 3)]);
  expect(pacer.admit("a", bar("A", 4))).toBe(false);
  now = 140;
  expect(pacer.due()).toEqual([bar("B", 2)]);
  pacer.end("a");
  now = 1_000;
  expect(pacer.due()).toEqual([]);
  expect(pacer.admit("a", bar("A", 5))).toBe(true);
  expect(pacer.admit("b", bar("B", 3))).toBe(true);
});

test("an interval of 0 stores every update", () => {
  const pacer = new ProvisionalPacer(0, () => 0);
  expect([1, 2, 3].map((n) => pacer.admit("a", bar("A", n)))).toEqual([true, true, true]);
  expect(pacer.due()).toEqual([]);
});
