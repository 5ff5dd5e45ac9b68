const epochMs = /^-?\d{1,16}$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms, or ISO 8601 as a UTC date or a date-time with an offset (a local time would be ambiguous).
 * NaN when the text is neither.
 */
export const parseInstant = (value: string): number => {
  if (epochMs.test(value)) return Number(value);
  if (isoDate.test(value) || isoDateTime.test(value)) return Date.parse(value);
  return Number.NaN;
};

export const instantMessage = "expected epoch milliseconds or an ISO 8601 date-time with offset";
