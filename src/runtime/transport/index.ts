import type { Config } from "../config/index.ts";
import type { Logger } from "../logger.ts";
import type { Registry } from "../metrics/index.ts";
import { createMemoryTransport } from "./memory.ts";
import type { Transport } from "./types.ts";

export { partitionFor } from "./partitioner.ts";
export type * from "./types.ts";

export interface TransportDeps {
  config: Config;
  logger: Logger;
  registry: Registry;
}

/** Backends by `TRANSPORT` value; heavy clients load lazily so dev mode never loads Kafka. */
const backends: Record<Config["runtime"]["transport"], (deps: TransportDeps) => Promise<Transport>> = {
  memory: async ({ config }) =>
    createMemoryTransport({
      partitions: config.transport.partitions,
      capacity: config.transport.memoryCapacity,
    }),
  kafka: async (deps) => (await import("./kafka/index.ts")).createKafkaTransport(deps),
};

export const createTransport = (deps: TransportDeps): Promise<Transport> =>
  backends[deps.config.runtime.transport](deps);
