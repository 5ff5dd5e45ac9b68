const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of an epoch-ms timestamp: the day partition it lies in. */
export const dayOf = (timestamp: number) => Math.floor(timestamp / DAY_MS);

/** The key columns (trade_year, trade_month, trade_day) of a day partition. */
export const dayKey = (day: number): [number, number, number] => {
  const date = new Date(day * DAY_MS);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
};

/** The month number (year * 12 + month - 1) of an epoch-ms timestamp: the bar partition it lies in. */
export const monthOf = (timestamp: number) => {
  const date = new Date(timestamp);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};

/** The key columns (trade_year, trade_month) of a month partition. */
export const monthKey = (month: number): [number, number] => [
  Math.floor(month / 12),
  (((month % 12) + 12) % 12) + 1,
];
