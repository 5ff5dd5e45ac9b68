/** The state of one dependency (transport, store, Finnhub connection...), as `/readyz` reports it. */
export interface DependencyHealth {
  ok: boolean;
  /** Human-readable state, e.g. "connected to 1 broker" or the last error. */
  detail: string;
}
