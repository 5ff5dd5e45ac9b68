import { join } from "node:path";

export const repoRoot = join(import.meta.dir, "../../..");

/** One row of a metric table in docs/METRICS.md. */
export interface DocumentedMetric {
  name: string;
  type: string;
  labels: string[];
  /** Roles (`ingest`, `processor`, `writer`, `api`) or `kafka transport`. */
  emittedBy: string[];
}

export interface MetricsDoc {
  metrics: Map<string, DocumentedMetric>;
  /** Name prefixes of the default process metrics group, without the `*`. */
  defaultPrefixes: string[];
  /** Recording rules, by series name, with their labels. */
  recorded: Map<string, string[]>;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** The names in backticks of a cell: "`a`, `b`" -> ["a", "b"]; "-" -> []. */
const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** Reads the tables of docs/METRICS.md: metrics (5 columns), default prefixes (2), recording rules (3). */
export const readMetricsDoc = async (): Promise<MetricsDoc> => {
  const text = await Bun.file(join(repoRoot, "docs/METRICS.md")).text();
  const doc: MetricsDoc = { metrics: new Map(), defaultPrefixes: [], recorded: new Map() };
  for (const line of text.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const row = cells(line);
    const [name] = codes(row[0]!);
    if (name === undefined) continue;
    if (row.length === 5) {
      const emittedBy = row[3]!.split(",").map((role) => role.trim());
      doc.metrics.set(name, { name, type: row[1]!, labels: codes(row[2]!), emittedBy });
    } else if (row.length === 2 && name.endsWith("*")) doc.defaultPrefixes.push(name.slice(0, -1));
    else if (row.length === 3) doc.recorded.set(name, codes(row[1]!));
    else throw new Error(`docs/METRICS.md: cannot read the row ${line}`);
  }
  return doc;
};

const histogramSuffix = /_(bucket|sum|count)$/;

/**
 * Whether a series name a query uses exists: a documented metric (or a histogram's `_bucket`, `_sum`,
 * `_count`), a recording rule, `up`, or one of `defaults` (the default metrics of a live registry).
 */
export const seriesExists = (doc: MetricsDoc, defaults: ReadonlySet<string>, series: string): boolean => {
  if (series === "up" || doc.metrics.has(series) || doc.recorded.has(series)) return true;
  const base = series.replace(histogramSuffix, "");
  if (base !== series && doc.metrics.get(base)?.type === "histogram") return true;
  return defaults.has(series) || defaults.has(base);
};
