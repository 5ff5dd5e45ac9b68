/** What a `bench/<name>.bench.ts` file exports as `benchmark`. */
export interface Benchmark {
  /** Heading of its section in docs/BENCHMARKS.md. */
  title: string;
  /** Runs the measurements and returns the section body (markdown): numbers, set-up, findings. */
  run(): Promise<string>;
}
