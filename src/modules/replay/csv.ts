/** A CSV row in the shape of a Finnhub trade, so the same validation applies to both formats. */
export interface CsvTrade {
  s: string;
  t: number;
  p: number;
  v: number;
  c: string[] | null;
}

export const CSV_COLUMNS = "symbol,timestamp_ms,price,volume[,conditions]";

const CONDITION_SEPARATOR = /[|;]/;

// Number("") is 0, which would turn a missing volume into a valid zero; an empty field must fail instead.
const numberField = (field: string) => (field.trim() === "" ? Number.NaN : Number(field));

/** True for a header row (`symbol,...`), which is skipped. */
export const isCsvHeader = (line: string) => /^\s*symbol\s*,/i.test(line);

/**
 * Parses `symbol,timestamp_ms,price,volume[,conditions]`; conditions are separated by `|` or `;`.
 * Fields are not quoted. Returns undefined when the column count is wrong; bad values are left for
 * validation, which names the field.
 */
export const parseCsvTrade = (line: string): CsvTrade | undefined => {
  const fields = line.split(",");
  if (fields.length < 4 || fields.length > 5) return undefined;
  const [symbol, timestamp, price, volume, conditions] = fields as [string, string, string, string, string?];
  const c = conditions?.trim() ? conditions.split(CONDITION_SEPARATOR).map((item) => item.trim()) : null;
  return { s: symbol.trim(), t: numberField(timestamp), p: numberField(price), v: numberField(volume), c };
};
