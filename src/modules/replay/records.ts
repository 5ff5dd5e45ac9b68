import { CSV_COLUMNS, type CsvTrade, isCsvHeader, parseCsvTrade } from "./csv.ts";
import { LineReader } from "./lines.ts";

export type ReplayFormat = "ndjson" | "csv";

/** One non-empty line of a replay file. */
export type ReplayRecord =
  /** NDJSON: the text of one Finnhub frame (the `--record` format). */
  | { kind: "frame"; line: number; text: string }
  /** CSV: one trade in Finnhub's shape. */
  | { kind: "trade"; line: number; text: string; trade: CsvTrade }
  /** A line that is not a record of its format at all. */
  | { kind: "invalid"; line: number; text: string; detail: string };

/** `.csv` files hold CSV trades; everything else is NDJSON frames. */
export const formatOf = (path: string): ReplayFormat =>
  path.toLowerCase().endsWith(".csv") ? "csv" : "ndjson";

/** A replay file read as records, streaming; blank lines and a CSV header row are skipped. */
export class ReplayFile {
  readonly format: ReplayFormat;
  readonly #reader: LineReader;

  constructor(readonly path: string) {
    this.format = formatOf(path);
    this.#reader = new LineReader(path);
  }

  get bytesRead(): number {
    return this.#reader.bytesRead;
  }

  async *records(): AsyncGenerator<ReplayRecord> {
    let first = true;
    for await (const { number, text } of this.#reader.lines()) {
      if (text.trim() === "") continue;
      if (this.format === "ndjson") {
        yield { kind: "frame", line: number, text };
        continue;
      }
      const header = first && isCsvHeader(text);
      first = false;
      if (header) continue;
      const trade = parseCsvTrade(text);
      yield trade
        ? { kind: "trade", line: number, text, trade }
        : { kind: "invalid", line: number, text, detail: `expected ${CSV_COLUMNS}` };
    }
  }
}
