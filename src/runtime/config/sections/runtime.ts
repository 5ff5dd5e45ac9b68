import { z } from "zod";
import { csvOf, int, option } from "../fields.ts";

export const roles = ["ingest", "processor", "writer", "api"] as const;
export type Role = (typeof roles)[number];

export const runtime = z.object({
  roles: option(csvOf(roles, roles.join(",")), {
    env: "ROLES",
    description: "Modules this process runs: any of ingest, processor, writer, api",
  }),
  transport: option(z.enum(["memory", "kafka"]).default("memory"), {
    env: "TRANSPORT",
    description: "How modules talk: in-process channels (memory) or Kafka",
  }),
  store: option(z.enum(["sqlite", "cassandra"]).default("sqlite"), {
    env: "STORE",
    description: "Where trades and bars are stored",
  }),
  logLevel: option(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"), {
    env: "LOG_LEVEL",
    description: "Minimum level of log lines",
  }),
  logFormat: option(z.enum(["auto", "json", "pretty"]).default("auto"), {
    env: "LOG_FORMAT",
    description: "Log line format; auto is pretty on a terminal and JSON otherwise",
  }),
  statsIntervalMs: option(int(10_000, { min: 0 }), {
    env: "STATS_INTERVAL_MS",
    description: "Period of the rates log line in ms (0 turns it off)",
  }),
  heapLimitMb: option(int(48, { min: 0 }), {
    env: "HEAP_LIMIT_MB",
    description:
      "Soft limit of the JavaScript heap in MiB: over it a full garbage collection runs, at most four times a second and in at most HEAP_BUDGET_PERCENT of the time (0 turns it off; docs/adr/0011)",
  }),
  heapBudgetPercent: option(int(10, { min: 1, max: 50 }), {
    env: "HEAP_BUDGET_PERCENT",
    description:
      "Most of the time, in percent, the collections of HEAP_LIMIT_MB may take: more keeps the heap smaller when more than the limit is alive, at that CPU",
  }),
});
