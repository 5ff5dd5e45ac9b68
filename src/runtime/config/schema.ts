import { z } from "zod";
import { api } from "./sections/api.ts";
import { ops } from "./sections/ops.ts";
import { processor, writer } from "./sections/pipeline.ts";
import { runtime } from "./sections/runtime.ts";
import { finnhub, ingest, replay, simulator } from "./sections/sources.ts";
import { cassandra, sqlite } from "./sections/stores.ts";
import { kafka, transportOptions } from "./sections/transport.ts";

export { type Role, roles } from "./sections/runtime.ts";

export const configSchema = z.object({
  runtime,
  ingest,
  finnhub,
  simulator,
  replay,
  processor,
  writer,
  transport: transportOptions,
  kafka,
  sqlite,
  cassandra,
  api,
  ops,
});

export type Config = z.infer<typeof configSchema>;
