import { MINUTE_MS, mergeBars, toBar } from "../../bars/index.ts";
import type { ApiBar } from "../schemas/bars.ts";
import { barView } from "../views.ts";
import type { WindowGroup } from "./scan.ts";

/**
 * The bar of one window from its stored 1-minute bars (given in page order). A rolled-up window is final
 * once it has ended and all its minutes are final; its `rev` counts the corrections of all its minutes.
 */
export const windowBar = (group: WindowGroup, size: number, descending: boolean, now: number): ApiBar => {
  if (size === MINUTE_MS) return barView(group.bars[0]!);
  const bars = descending ? group.bars.toReversed() : group.bars;
  let final = group.t + size <= now;
  let rev = 0;
  let updatedAt = 0;
  for (const bar of bars) {
    final &&= bar.final;
    rev += bar.rev;
    updatedAt = Math.max(updatedAt, bar.updated_at);
  }
  const meta = { symbol: bars[0]!.symbol, t: group.t, T: group.t + size, final, rev, updatedAt };
  return barView(toBar(mergeBars(bars), meta));
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
