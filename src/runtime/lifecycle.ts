import type { Logger } from "pino";
import { errorMessage } from "./errors.ts";

/** What a started module gives back: a way to stop it and a promise of its end. */
export interface ModuleHandle {
  /** Drains and stops the module; idempotent, resolves once stopped. */
  stop(reason?: string): Promise<void>;
  /** Settles when the module has ended: resolves on a normal end, rejects when it failed. */
  readonly done: Promise<void>;
}

export interface ModuleSpec {
  name: string;
  start(): Promise<ModuleHandle>;
}

/** The set of modules of one process, stopped in reverse start order. */
export interface Runtime {
  stop(reason?: string): Promise<void>;
  /** Resolves when every module ended and the runtime stopped; rejects with the first module failure. */
  readonly done: Promise<void>;
}

/**
 * A handle whose `stop` runs `drain` once and whose `done` settles when `drain` finished or `fail` was
 * called. The building block most modules need.
 */
export const createHandle = (drain: (reason: string) => Promise<void>) => {
  let stopping: Promise<void> | undefined;
  const { promise: done, resolve, reject } = Promise.withResolvers<void>();
  done.catch(() => {});
  const stop = (reason = "stop requested") => {
    stopping ??= drain(reason).then(resolve, (error) => {
      reject(error);
      throw error;
    });
    return stopping;
  };
  return { handle: { stop, done } satisfies ModuleHandle, fail: reject, finish: resolve };
};

/**
 * Starts modules in order. If one fails to start, those already started are stopped. If one module's
 * `done` rejects, the others are stopped and the runtime's `done` rejects with that error.
 */
export const startRuntime = async (specs: readonly ModuleSpec[], logger: Logger): Promise<Runtime> => {
  const started: { name: string; handle: ModuleHandle }[] = [];
  let failure: unknown;
  let stopping: Promise<void> | undefined;

  const stopAll = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping");
      for (const { name, handle } of [...started].reverse()) {
        try {
          await handle.stop(reason);
          logger.debug({ module: name }, "module stopped");
        } catch (error) {
          failure ??= error;
          logger.error({ module: name, err: error }, "module failed while stopping");
        }
      }
    })();
    return stopping;
  };

  for (const spec of specs) {
    try {
      const handle = await spec.start();
      started.push({ name: spec.name, handle });
      logger.debug({ module: spec.name }, "module started");
      handle.done.catch((error: unknown) => {
        failure ??= error;
        logger.error({ module: spec.name, err: error }, `module ${spec.name} failed: ${errorMessage(error)}`);
        void stopAll(`${spec.name} failed`);
      });
    } catch (error) {
      logger.error(
        { module: spec.name, err: error },
        `module ${spec.name} failed to start: ${errorMessage(error)}`,
      );
      failure = error;
      await stopAll(`${spec.name} failed to start`);
      throw error;
    }
  }

  const done = Promise.allSettled(started.map(({ handle }) => handle.done)).then(async () => {
    await stopAll("all modules ended");
    if (failure !== undefined) throw failure;
  });
  done.catch(() => {});
  return { stop: stopAll, done };
};

/**
 * The only place that touches process signals: the first SIGINT/SIGTERM drains the runtime, a second one
 * forces the process out.
 */
export const handleSignals = (runtime: Runtime, logger: Logger) => {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      logger.info({ signal }, "draining; send the signal again to force exit");
      void runtime.stop(signal);
    } else {
      logger.warn({ signal }, "forced exit");
      process.exit(130);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
};
