import { Counter, type Registry } from "../../metrics/index.ts";
import { noTimeSpent } from "./busy-time.ts";

/**
 * Metrics of the SQLite store (obtained with `metricsOf(registry, sqliteMetrics)`). The store that owns
 * the write thread sets `writeThread.busySeconds`; it is read at scrape time.
 */
export const sqliteMetrics = (registry: Registry) => {
  const writeThread = { busySeconds: noTimeSpent };
  return {
    writeThread,
    writeThreadBusy: new Counter({
      name: "sqlite_write_thread_busy_seconds_total",
      help:
        "Wall time the SQLite write thread spent inserting staged writes (activity=insert) and committing " +
        "them, checkpoints included (activity=commit); idle the rest of the time. A sum near 1 s per second " +
        "means the single writer is the store's limit",
      labelNames: ["activity"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [activity, seconds] of Object.entries(writeThread.busySeconds()))
          this.inc({ activity }, seconds);
      },
    }),
  };
};
