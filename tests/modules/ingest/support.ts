import type { IngestOptions } from "../../../src/modules/ingest/index.ts";
import { loadConfig } from "../../../src/runtime/config/index.ts";
import { createLogger, type Logger } from "../../../src/runtime/logger.ts";
import type { Registry } from "../../../src/runtime/metrics/index.ts";
import type { IncomingMessage, Subscription, Transport } from "../../../src/runtime/transport/index.ts";

/** Waits for a (possibly async) condition, polling, until a deadline. */
export const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  what = "condition",
  timeoutMs = 15_000,
) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

/** The ingest config slices of a configuration built from these variables, as the CLI would parse them. */
export const ingestOptions = (env: Record<string, string> = {}): IngestOptions => {
  const { config } = loadConfig([], env);
  return { ingest: config.ingest, finnhub: config.finnhub, replay: config.replay };
};

let groups = 0;

/** Everything published on `topic` from now on, in arrival order. */
export const collect = async <T>(transport: Transport, topic: string) => {
  const received: IncomingMessage<T>[] = [];
  const subscription: Subscription = await transport.subscribe<T>(topic, {
    group: `collector-${++groups}`,
    onBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  return { received, values: () => received.map((message) => message.value), subscription };
};

/** A JSON logger whose lines the test can read. */
export const captureLogger = (secrets: readonly string[] = []) => {
  const lines: Record<string, unknown>[] = [];
  const logger: Logger = createLogger({
    level: "debug",
    format: "json",
    secrets,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const messages = () => lines.map((line) => String(line.msg));
  return { logger, lines, messages };
};

/** Current value of a metric (summed over the label sets matching `labels`). */
export const metricValue = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted))
    .reduce((sum, value) => sum + value.value, 0);
};
