/** The state of one dependency (transport, store, Finnhub connection...), as `/readyz` reports it. */
export interface DependencyHealth {
  ok: boolean;
  /** Human-readable state, e.g. "connected to 1 broker" or the last error. */
  detail: string;
}

export type HealthCheck = () => Promise<DependencyHealth>;

/** A check that takes longer than this counts as failed: `/readyz` must answer even when a server hangs. */
const CHECK_TIMEOUT_MS = 2_000;

const withTimeout = async (check: HealthCheck): Promise<DependencyHealth> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<DependencyHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) => ({
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** Named readiness checks registered by whoever owns a dependency; `/readyz` runs them all. */
export class HealthChecks {
  readonly #checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.#checks.set(name, check);
  }

  /** Runs every check concurrently; ready when all are ok. */
  async run(): Promise<{ ready: boolean; dependencies: Record<string, DependencyHealth> }> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await withTimeout(check)] as const),
    );
    return { ready: entries.every(([, state]) => state.ok), dependencies: Object.fromEntries(entries) };
  }
}
