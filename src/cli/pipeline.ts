import { createApi, createOpsApp, startApiFeed, startHttpServer } from "../modules/api/index.ts";
import { type IngestSource, startIngest } from "../modules/ingest/index.ts";
import { startProcessor } from "../modules/processor/index.ts";
import { startSimulator } from "../modules/simulator/index.ts";
import { createWebApp } from "../modules/web/index.ts";
import { openBarCloseAfterMs, startOrphanedBarsRepair, startWriter } from "../modules/writer/index.ts";
import type { Config } from "../runtime/config/index.ts";
import { TickflowError } from "../runtime/errors.ts";
import { RuntimeEvents } from "../runtime/events.ts";
import { HealthChecks } from "../runtime/health.ts";
import { startHeapBudget } from "../runtime/heap-budget.ts";
import {
  createHandle,
  type ModuleHandle,
  type ModuleSpec,
  type Runtime,
  startRuntime,
} from "../runtime/lifecycle.ts";
import type { Logger } from "../runtime/logger.ts";
import { createRegistry, type Registry } from "../runtime/metrics/index.ts";
import { startRateReporter } from "../runtime/stats.ts";
import { createStore, type Store } from "../runtime/store/index.ts";
import { createTransport, type Transport } from "../runtime/transport/index.ts";

export interface PipelineOptions {
  config: Config;
  logger: Logger;
  /** Overrides the source chosen from config (the replay command passes its files). */
  source?: IngestSource;
  events?: RuntimeEvents;
}

export interface Pipeline {
  runtime: Runtime;
  events: RuntimeEvents;
  registry: Registry;
  /** The port the HTTP server listens on. */
  port: number;
  /** Settles when the ingest module ended (a finite source ran out); never, for a live source. */
  ingestDone: Promise<void>;
}

/** A runtime spec for a resource opened beforehand that only needs closing at the end. */
const resource = (name: string, close: () => Promise<void>): ModuleSpec => ({
  name,
  start: async () => createHandle(close).handle,
});

const rates = [
  { metric: "finnhub_messages_received_total", label: "frames" },
  { metric: "ingest_trades_total", label: "ingested" },
  { metric: "processor_trades_total", label: "processed" },
  { metric: "trades_stored_total", label: "stored" },
  { metric: "bars_finalized_total", label: "bars_final" },
  { metric: "validation_errors_total", label: "rejected" },
];

/**
 * Composes the modules of `config.runtime.roles` on the configured transport and store and starts them:
 * the HTTP server first, then consumers before producers so nothing published waits for a subscriber.
 * Stopping drains in reverse order.
 */
export const startPipeline = async (options: PipelineOptions): Promise<Pipeline> => {
  const { config, logger } = options;
  const roles = new Set(config.runtime.roles);
  const source = roles.has("ingest") ? chooseSource(config, options.source) : undefined;
  const registry = createRegistry();
  const health = new HealthChecks();
  const events = options.events ?? new RuntimeEvents();
  const transport = await createTransport({ config, logger, registry });
  health.register("transport", () => transport.health());
  const specs: ModuleSpec[] = [resource("transport", () => transport.close())];
  let store: Store | undefined;
  if (roles.has("writer") || roles.has("api")) {
    try {
      store = await createStore({ config, logger, registry });
    } catch (error) {
      await transport.close();
      throw error;
    }
    const opened = store;
    health.register("store", () => opened.health());
    specs.push(resource("store", () => opened.close()));
  }
  const needStore = () => {
    if (!store) throw new Error("the store is only opened for the writer and api roles");
    return store;
  };
  let port = config.api.port;
  const api = roles.has("api")
    ? createApi({ options: config.api, store: needStore(), registry, logger })
    : undefined;

  // First: health, metrics and what is stored are served while the modules below wait for the
  // transport (a Kafka that is down), and `/readyz` says what they wait for.
  specs.push({
    name: "http",
    start: async () => {
      // The ops app's error and not-found handlers answer for every route mounted on it.
      const app = createOpsApp({ health, registry, logger });
      if (api) {
        app.route("/", api.app);
        app.route("/", createWebApp({ options: config.api, registry, logger }));
      }
      const server = await startHttpServer({ host: config.api.host, port: config.api.port, app, logger });
      port = server.port;
      return server;
    },
  });
  if (roles.has("writer")) {
    specs.push({
      name: "writer",
      start: () =>
        startWriter({
          options: config.writer,
          logger,
          registry,
          transport,
          store: needStore(),
          events,
          outlierExclude: config.processor.outlierExclude,
        }),
    });
  }
  // In-process channels replay nothing: the bars open when the last run stopped get no final bar otherwise.
  if (roles.has("writer") && config.runtime.transport === "memory") {
    specs.push({
      name: "orphaned-bars",
      start: () =>
        startOrphanedBarsRepair({
          store: needStore(),
          logger,
          outlierExclude: config.processor.outlierExclude,
          closeAfterMs: openBarCloseAfterMs(config.processor),
        }),
    });
  }
  if (roles.has("processor")) {
    specs.push({
      name: "processor",
      start: () => startProcessor({ options: config.processor, logger, registry, transport }),
    });
  }
  if (api) specs.push({ name: "api", start: () => startApiFeed(api.hub, transport) });
  const ingestDone = Promise.withResolvers<void>();
  // A failed ingest also fails the runtime, which reports it: callers need not await this.
  ingestDone.promise.catch(() => {});
  if (source) {
    specs.push(
      ...ingestSpecs(options, source, transport, registry, (handle) =>
        handle.done.then(ingestDone.resolve, ingestDone.reject),
      ),
    );
  }

  const started = await startRuntime(specs, logger);
  const stopReporter = startRateReporter(registry, logger, rates, config.runtime.statsIntervalMs);
  const stopBudget = startProcessHeapBudget(config, registry, logger);
  // Settles once the totals of the drained run are logged too.
  const done = started.done.finally(async () => {
    stopBudget();
    await stopReporter();
  });
  done.catch(() => {});
  const runtime: Runtime = { stop: started.stop, done };
  return { runtime, events, registry, port, ingestDone: ingestDone.promise };
};

const MIB = 2 ** 20;

/**
 * The heap budget of `HEAP_LIMIT_MB` (docs/adr/0011): the heap read 10 times a second, collections at
 * most four times a second and in at most `HEAP_BUDGET_PERCENT` of the time.
 */
const startProcessHeapBudget = (config: Config, registry: Registry, logger: Logger) => {
  const { heapLimitMb, heapBudgetPercent } = config.runtime;
  if (heapLimitMb === 0) return () => {};
  return startHeapBudget(
    { limitBytes: heapLimitMb * MIB, checkMs: 100, minIntervalMs: 250, maxShare: heapBudgetPercent / 100 },
    { registry, logger },
  );
};

type SourceChoice = IngestSource | { kind: "embedded-simulator" };

/** The source: the given one (replay), Finnhub when a key is set or asked for, else the built-in simulator. */
const chooseSource = (config: Config, given: IngestSource | undefined): SourceChoice => {
  if (given) return given;
  const kind = config.ingest.source;
  if (kind === "finnhub" || (kind === "auto" && config.finnhub.apiKeys.length > 0))
    return { kind: "finnhub" };
  if (kind === "replay") {
    throw new TickflowError("CONFIG_INVALID", "SOURCE=replay needs files: use `bun run replay FILE...`");
  }
  return { kind: "embedded-simulator" };
};

/** Ingest on its source; the embedded simulator starts first, so it stops after ingest. */
const ingestSpecs = (
  { config, logger }: PipelineOptions,
  source: SourceChoice,
  transport: Transport,
  registry: Registry,
  onStarted: (ingest: ModuleHandle) => void,
): ModuleSpec[] => {
  const options = { ingest: config.ingest, finnhub: config.finnhub, replay: config.replay };
  const ingest = (chosen: () => IngestSource): ModuleSpec => ({
    name: "ingest",
    start: async () => {
      const handle = await startIngest({ options, source: chosen(), logger, registry, transport });
      onStarted(handle);
      return handle;
    },
  });
  if (source.kind !== "embedded-simulator") return [ingest(() => source)];
  let simulated: IngestSource | undefined;
  return [
    {
      name: "simulator",
      start: async () => {
        const simulator = await startSimulator(config.simulator, logger);
        simulated = { kind: "simulator", url: simulator.url, token: simulator.token };
        logger.info({ url: simulator.url }, "no FINNHUB_API_KEY: ingesting from the built-in simulator");
        return simulator.handle;
      },
    },
    ingest(() => simulated!),
  ];
};
