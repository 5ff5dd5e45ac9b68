export { BarAccumulator, type MergeableBar } from "./accumulator.ts";
export { accumulateTrades, type BarMeta, mergeBars, type TradeLike, toBar } from "./build.ts";
export { DAY_MS, HOUR_MS, MINUTE_MS, type Timespan, timespanMs, windowStart } from "./windows.ts";
