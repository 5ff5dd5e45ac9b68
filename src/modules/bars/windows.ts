export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type Timespan = "minute" | "hour" | "day";

export const timespanMs: Record<Timespan, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** Start of the window of `size` ms (aligned to the UTC epoch) holding `timestamp`. */
export const windowStart = (timestamp: number, size: number) =>
  timestamp - (((timestamp % size) + size) % size);
