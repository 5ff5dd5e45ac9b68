const epochMs = /^-?\d{1,16}$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** True when the text's leading YYYY-MM-DD is a day of the calendar (Date.parse makes 02-30 March 2nd). */
const isCalendarDay = (value: string): boolean => {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
};

/**
 * Epoch ms, or ISO 8601 as a UTC date or a date-time with an offset (a local time would be ambiguous).
 * NaN when the text is neither, or names a day the calendar does not have.
 */
export const parseInstant = (value: string): number => {
  if (epochMs.test(value)) return Number(value);
  if ((isoDate.test(value) || isoDateTime.test(value)) && isCalendarDay(value)) return Date.parse(value);
  return Number.NaN;
};

export const instantMessage = "expected epoch milliseconds or an ISO 8601 date-time with offset";
