import { MINUTE_MS, mergeBars } from "../../bars/index.ts";
import type { Bar } from "../../contracts/index.ts";
import type { ApiBar } from "../schemas/bars.ts";
import type { WindowGroup } from "./scan.ts";

/** A stored 1-minute bar as the API shows it. */
export const minuteBar = (bar: Bar): ApiBar => ({
  t: bar.t,
  T: bar.T,
  o: bar.o,
  h: bar.h,
  l: bar.l,
  c: bar.c,
  v: bar.v,
  n: bar.n,
  vw: bar.vw,
  volatility: bar.volatility,
  final: bar.final,
  rev: bar.rev,
});

/**
 * The bar of one window from its stored 1-minute bars (given in page order). A rolled-up window is final
 * once it has ended and all its minutes are final; its `rev` counts the corrections of all its minutes.
 */
export const windowBar = (group: WindowGroup, size: number, descending: boolean, now: number): ApiBar => {
  if (size === MINUTE_MS) return minuteBar(group.bars[0]!);
  const bars = descending ? group.bars.toReversed() : group.bars;
  const acc = mergeBars(bars);
  let final = group.t + size <= now;
  let rev = 0;
  for (const bar of bars) {
    final &&= bar.final;
    rev += bar.rev;
  }
  return {
    t: group.t,
    T: group.t + size,
    o: acc.open,
    h: acc.high,
    l: acc.low,
    c: acc.close,
    v: acc.volume,
    n: acc.n,
    vw: acc.vwap,
    volatility: acc.volatility,
    final,
    rev,
  };
};

/** A window without trades, for `fill=null` (and `fill=prev` until a previous close is known). */
export const emptyBar = (t: number, size: number, now: number): ApiBar => ({
  t,
  T: t + size,
  o: null,
  h: null,
  l: null,
  c: null,
  v: 0,
  n: 0,
  vw: null,
  volatility: null,
  final: t + size <= now,
  rev: 0,
  filled: true,
});
