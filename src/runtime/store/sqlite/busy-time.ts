/** What the SQLite write thread spends its time on; idle the rest of the time. */
export type WriteActivity = "insert" | "commit";

/** Seconds per activity before the thread did anything. */
export const noTimeSpent = (): Record<WriteActivity, number> => ({ insert: 0, commit: 0 });

/** Wall time spent per activity, added up. */
export class BusyTime {
  readonly seconds = noTimeSpent();

  /** Runs `work` and adds its wall time to the total of `activity`. */
  timed(activity: WriteActivity, work: () => void): void {
    const started = performance.now();
    try {
      work();
    } finally {
      this.seconds[activity] += (performance.now() - started) / 1_000;
    }
  }
}
