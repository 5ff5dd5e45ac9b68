import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import { metricsOf, type Registry } from "../../runtime/metrics/index.ts";
import type { Transport } from "../../runtime/transport/index.ts";
import { ingestMetrics } from "./metrics.ts";
import { TradeSink } from "./sink.ts";
import { createSource, type IngestOptions, type IngestSource } from "./sources/index.ts";

export interface IngestDeps {
  /** Config slices: `ingest`, `finnhub`, `replay`. */
  options: IngestOptions;
  /** Where trades come from: `{ kind: "finnhub" }`, the simulator's url and token, or replay files. */
  source: IngestSource;
  logger: Logger;
  registry: Registry;
  /** Trades go to `topics.trades` keyed by symbol, rejections to `topics.deadLetters`. */
  transport: Transport;
}

/**
 * Starts ingest: reads the source, validates and enriches every trade, and publishes to the trades topic.
 * A live source runs until stopped; `done` rejects if it cannot go on (a rejected key, a failed transport).
 * A finite source (replay) publishes the end marker `{ kind: "end", source: "replay" }` to every partition
 * of the trades topic once its input is exhausted, and then `done` resolves.
 * Rejects at once on configuration errors (no symbols, no key, too few keys for the symbols); a replay
 * file that does not exist fails `done`.
 */
export const startIngest = async (deps: IngestDeps): Promise<ModuleHandle> => {
  const logger = deps.logger.child({ module: "ingest" });
  const metrics = metricsOf(deps.registry, ingestMetrics);
  const controller = new AbortController();
  let failure: unknown;
  const sink = new TradeSink({
    transport: deps.transport,
    metrics,
    logger,
    maxPending: deps.options.ingest.maxPendingTrades,
    maxPayloadChars: deps.options.ingest.dlqSampleBytes,
    onFailure: (error) => {
      failure ??= error;
      controller.abort(error);
    },
  });
  const source = createSource({ options: deps.options, sink, metrics, logger }, deps.source);
  const { signal } = controller;

  const lifecycle = (async () => {
    await source.run(signal);
    if (failure !== undefined) throw failure;
    if (source.finite && !signal.aborted) {
      await sink.end(source.name);
      logger.info({ source: source.name }, `${source.name} input ended; end marker published`);
    } else await sink.flush();
  })();

  const { handle, fail, finish } = createHandle(async (reason) => {
    controller.abort(reason);
    await lifecycle.catch(() => {});
  });
  lifecycle.then(finish, (error: unknown) => {
    controller.abort(error);
    fail(error);
  });
  logger.info({ source: source.name }, `ingest started (${source.name})`);
  return handle;
};
