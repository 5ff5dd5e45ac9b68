import { readdirSync } from "node:fs";

/** Readings of another process from Linux's /proc. */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux architecture we run). */
const USER_HZ = 100;

/** CPU seconds (user + system) of a `stat` file of /proc: a process's (all threads) or one thread's. */
const statCpuSeconds = (stat: string): number => {
  // Fields after the command name (which may hold spaces), itself in parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
};

/** CPU seconds the process used so far, user + system, all threads. */
export const cpuSeconds = async (pid: number): Promise<number> =>
  statCpuSeconds(await Bun.file(`/proc/${pid}/stat`).text());

/**
 * CPU seconds each thread of the process used so far, by `name:tid` (the main thread is the one whose
 * tid is the pid; Bun names a Worker's thread "Worker").
 */
export const threadCpuSeconds = async (pid: number): Promise<Map<string, number>> => {
  const cpu = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = await Bun.file(`/proc/${pid}/task/${tid}/stat`).text();
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    cpu.set(`${name}:${tid}`, statCpuSeconds(stat));
  }
  return cpu;
};

export interface Memory {
  /** Resident set size, bytes. */
  rss: number;
  /** Resident anonymous memory (heaps, stacks), bytes. */
  anon: number;
  /** Resident file-backed pages (code, memory-mapped files), bytes. */
  file: number;
}

const kib = (status: string, field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;

/** Resident memory of the process now. */
export const memory = async (pid: number): Promise<Memory> => {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  return { rss: kib(status, "VmRSS"), anon: kib(status, "RssAnon"), file: kib(status, "RssFile") };
};

/** The 1-minute load average, for the record next to a measurement. */
export const loadAverage = async (): Promise<number> =>
  Number((await Bun.file("/proc/loadavg").text()).split(" ")[0]);
