/** One sample of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments skipped). */
export const parseSamples = (text: string): Sample[] =>
  text.split("\n").flatMap((line) => {
    const match = LINE.exec(line);
    if (!match) return [];
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) labels[key!] = value!;
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });

/** GET `<base>/metrics`, parsed. */
export const scrape = async (base: string): Promise<Sample[]> => {
  const response = await fetch(`${base}/metrics`);
  if (!response.ok) throw new Error(`GET ${base}/metrics: ${response.status}`);
  return parseSamples(await response.text());
};

const matches = (sample: Sample, labels: Record<string, string>) =>
  Object.entries(labels).every(([key, value]) => sample.labels[key] === value);

/** Sum of the samples named `name` whose labels include `labels`. */
export const total = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.reduce((sum, s) => (s.name === name && matches(s, labels) ? sum + s.value : sum), 0);

/** Cumulative bucket counts of histogram `name` (labels filtered), as [upper bound, count] by bound. */
export const buckets = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === `${name}_bucket` && matches(s, labels))
    .map((s) => [Number(s.labels.le === "+Inf" ? Infinity : s.labels.le), s.value] as [number, number])
    .sort((a, b) => a[0] - b[0]);

/** Bucket counts of `after` minus those of `before`: the observations made in between. */
export const bucketDelta = (before: [number, number][], after: [number, number][]) =>
  after.map(([le, count]) => [le, count - (before.find(([b]) => b === le)?.[1] ?? 0)] as [number, number]);

/**
 * The q-quantile of cumulative buckets, interpolated linearly inside its bucket as PromQL's
 * `histogram_quantile` does; undefined without observations. Only as exact as the bucket bounds.
 */
export const quantile = (cumulative: readonly [number, number][], q: number): number | undefined => {
  const count = cumulative.at(-1)?.[1] ?? 0;
  if (count === 0) return undefined;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const [le, n] of cumulative) {
    if (n >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, n - below);
    }
    lower = le;
    below = n;
  }
  return lower;
};
