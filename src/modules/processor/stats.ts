/**
 * What engines counted since the module last read them: plain numbers on the hot path, turned into
 * Prometheus metrics once per batch. Several engines may share one.
 */
export interface EngineStats {
  /** Valid trades received, duplicates included. */
  trades: number;
  duplicates: number;
  /** Trades of an open window too far behind their symbol's newest to check for a duplicate. */
  unchecked: number;
  /** Trades whose window was already final (each followed by a correction request). */
  late: number;
  /** How far behind its symbol's highest event time each late trade was, in ms (0 when it was late only
   * because the idle timeout or an end of input had closed its window). */
  latenessMs: number[];
  outliers: number;
  /** Provisional bar updates emitted. */
  barUpdates: number;
  barsFinalized: number;
}

export const createEngineStats = (): EngineStats => ({
  trades: 0,
  duplicates: 0,
  unchecked: 0,
  late: 0,
  latenessMs: [],
  outliers: 0,
  barUpdates: 0,
  barsFinalized: 0,
});
