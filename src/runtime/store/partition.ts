const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The UTC partition columns of a timestamp (year, month 1-12, day 1-31, hour 0-23), as stored next to
 * every trade and bar. One instance is reused across a batch: consecutive trades mostly share a day, so
 * the calendar conversion runs once per day instead of once per trade.
 */
export class UtcPartition {
  year = 0;
  month = 0;
  day = 0;
  hour = 0;
  #dayNumber = Number.NaN;

  /** Sets the fields to those of `timestamp` (epoch ms) and returns this. */
  of(timestamp: number): this {
    const dayNumber = Math.floor(timestamp / DAY_MS);
    if (dayNumber !== this.#dayNumber) {
      const date = new Date(dayNumber * DAY_MS);
      this.year = date.getUTCFullYear();
      this.month = date.getUTCMonth() + 1;
      this.day = date.getUTCDate();
      this.#dayNumber = dayNumber;
    }
    this.hour = Math.floor((timestamp - dayNumber * DAY_MS) / HOUR_MS);
    return this;
  }
}

/** The earliest and latest instants a `Date` can hold; range bounds are clamped into them. */
export const MIN_TIME_MS = -8.64e15;
export const MAX_TIME_MS = 8.64e15;

export const clampTime = (timestamp: number) => Math.min(MAX_TIME_MS, Math.max(MIN_TIME_MS, timestamp));
