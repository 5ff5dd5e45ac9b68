import type { Bar } from "./types.ts";

/** A bar size the page offers, and how `/v1/bars` spells it. */
export interface Resolution {
  label: string;
  multiplier: number;
  timespan: "minute" | "hour" | "day";
  ms: number;
}

export const MINUTE_MS = 60_000;

export const resolutions: readonly Resolution[] = [
  { label: "1m", multiplier: 1, timespan: "minute", ms: MINUTE_MS },
  { label: "5m", multiplier: 5, timespan: "minute", ms: 5 * MINUTE_MS },
  { label: "1h", multiplier: 1, timespan: "hour", ms: 60 * MINUTE_MS },
  { label: "1d", multiplier: 1, timespan: "day", ms: 24 * 60 * MINUTE_MS },
];

export const resolutionOf = (label: string | null | undefined): Resolution =>
  resolutions.find((resolution) => resolution.label === label) ?? resolutions[0]!;

/** Start of the UTC-aligned window of `size` ms holding `t` (as the API aligns them). */
export const windowStart = (t: number, size: number) => Math.floor(t / size) * size;

/**
 * Whether `next` supersedes `current` as a version of the same bar: corrections (higher rev) win, then
 * final over provisional, then the version with more trades (provisional updates only grow).
 */
export const supersedes = (next: Bar, current: Bar | undefined) => {
  if (current === undefined) return true;
  if (next.rev !== current.rev) return next.rev > current.rev;
  if (next.final !== current.final) return next.final;
  return next.n >= current.n;
};

/** The bar of window [t, t + size) from its 1-minute bars (OHLCV only; volatility needs the full state). */
export const rollUp = (t: number, size: number, minutes: readonly Bar[], now: number): Bar => {
  const priced = minutes.filter((bar) => bar.o !== null).sort((a, b) => a.t - b.t);
  let h = Number.NEGATIVE_INFINITY;
  let l = Number.POSITIVE_INFINITY;
  let v = 0;
  let n = 0;
  let pv = 0;
  for (const bar of priced) {
    h = Math.max(h, bar.h!);
    l = Math.min(l, bar.l!);
    v += bar.v;
    n += bar.n;
    pv += (bar.vw ?? 0) * bar.v;
  }
  return {
    t,
    T: t + size,
    o: priced[0]?.o ?? null,
    h: priced.length > 0 ? h : null,
    l: priced.length > 0 ? l : null,
    c: priced.at(-1)?.c ?? null,
    v,
    n,
    vw: v > 0 ? pv / v : null,
    final: t + size <= now && minutes.every((bar) => bar.final),
    rev: Math.max(0, ...minutes.map((bar) => bar.rev)),
  };
};
