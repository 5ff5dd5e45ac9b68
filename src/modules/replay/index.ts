/**
 * Replay files: NDJSON Finnhub frames (the `--record` format) and CSV trades
 * `symbol,timestamp_ms,price,volume[,conditions]` (conditions separated by `|` or `;`, optional header row).
 * This module reads and paces; the ingest module's replay source validates and publishes.
 */
export { CSV_COLUMNS, type CsvTrade, parseCsvTrade } from "./csv.ts";
export { fileIdentity } from "./identity.ts";
export { type Line, LineReader } from "./lines.ts";
export { Pacer, type ReplaySpeed } from "./pacer.ts";
export { createProgress, type Progress, type ProgressState } from "./progress.ts";
export { formatOf, ReplayFile, type ReplayFormat, type ReplayRecord } from "./records.ts";
