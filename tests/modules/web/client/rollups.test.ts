import { describe, expect, test } from "bun:test";
import { MINUTE_MS, rollUp, supersedes } from "../../../../src/modules/web/client/resolutions.ts";
import { WindowRollups } from "../../../../src/modules/web/client/rollups.ts";
import type { Bar } from "../../../../src/modules/web/client/types.ts";

const T0 = 1_700_000_100_000 - (1_700_000_100_000 % (5 * MINUTE_MS));

const minute = (index: number, fields: Partial<Bar> = {}): Bar => ({
  t: T0 + index * MINUTE_MS,
  T: T0 + (index + 1) * MINUTE_MS,
  o: 10,
  h: 12,
  l: 9,
  c: 11,
  v: 100,
  n: 5,
  vw: 10.5,
  final: false,
  rev: 0,
  ...fields,
});

describe("bar versions", () => {
  test("a correction beats a final bar, which beats a provisional one; provisional ones only grow", () => {
    expect(supersedes(minute(0, { rev: 1, n: 1 }), minute(0, { final: true, n: 9 }))).toBe(true);
    expect(supersedes(minute(0, { final: true, n: 5 }), minute(0, { rev: 1 }))).toBe(false);
    expect(supersedes(minute(0, { final: true, n: 5 }), minute(0, { n: 6 }))).toBe(true);
    expect(supersedes(minute(0, { n: 6 }), minute(0, { final: true, n: 6 }))).toBe(false);
    expect(supersedes(minute(0, { n: 6 }), minute(0, { n: 7 }))).toBe(false);
    expect(supersedes(minute(0, { n: 7 }), minute(0, { n: 6 }))).toBe(true);
  });

  test("a window's bar is rolled up from its minutes in time order", () => {
    const bars = [
      minute(2, { o: 13, h: 15, l: 12, c: 14, v: 50, n: 2, vw: 13.5, final: true }),
      minute(0, { o: 10, h: 11, l: 8, c: 10.5, v: 150, n: 3, vw: 9.5, final: true }),
      minute(1, { o: null, h: null, l: null, c: null, v: 0, n: 0, vw: null, final: true }),
    ];
    expect(rollUp(T0, 5 * MINUTE_MS, bars, T0 + 10 * MINUTE_MS)).toEqual({
      t: T0,
      T: T0 + 5 * MINUTE_MS,
      o: 10,
      h: 15,
      l: 8,
      c: 14,
      v: 200,
      n: 5,
      vw: (9.5 * 150 + 13.5 * 50) / 200,
      final: true,
      rev: 0,
    });
    expect(rollUp(T0, 5 * MINUTE_MS, bars, T0 + 4 * MINUTE_MS).final).toBe(false);
  });
});

describe("WindowRollups", () => {
  test("at 1m each live version replaces the minute unless it is older", () => {
    const rollups = new WindowRollups(MINUTE_MS);
    expect(rollups.apply(minute(0, { n: 3 }))).toEqual({ kind: "bar", bar: minute(0, { n: 3 }) });
    expect(rollups.apply(minute(0, { n: 2 }))).toEqual({ kind: "none" });
    expect(rollups.apply(minute(0, { n: 4, c: 12 }))).toEqual({
      kind: "bar",
      bar: minute(0, { n: 4, c: 12 }),
    });
  });

  test("at 5m a minute update yields its window's bar, and a seed keeps newer live versions", () => {
    const rollups = new WindowRollups(5 * MINUTE_MS, 3, () => T0);
    rollups.apply(minute(1, { c: 20, h: 20, n: 8 }));
    const seeded = rollups.seed(T0, [minute(0, { o: 7 }), minute(1, { c: 11, n: 6 })]);
    expect(seeded).toMatchObject({ t: T0, o: 7, c: 20, h: 20, n: 13 });
    const change = rollups.apply(minute(2, { c: 30, h: 30 }));
    expect(change).toEqual({ kind: "bar", bar: expect.objectContaining({ c: 30, h: 30, n: 18 }) });
  });

  test("keeps the newest windows only and asks to reload a minute of an older one", () => {
    const rollups = new WindowRollups(MINUTE_MS, 2);
    for (const index of [0, 1, 2]) rollups.apply(minute(index));
    expect(rollups.tracks(minute(0).t)).toBe(false);
    expect(rollups.apply(minute(0, { rev: 1 }))).toEqual({ kind: "reload", t: minute(0).t });
    expect(rollups.apply(minute(1, { rev: 1 }))).toMatchObject({ kind: "bar" });
  });
});
