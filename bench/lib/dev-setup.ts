import {
  startDevProcess,
  startTickflowProcess,
  type TickflowProcess,
} from "../../tests/support/dev-process.ts";

/** `count` made-up stock tickers, SYM0 to SYM<count - 1>. */
export const benchSymbols = (count: number) => Array.from({ length: count }, (_, i) => `SYM${i}`);

export interface DevSetupOptions {
  /** Trades per second the simulator emits; 0 = as fast as the pipeline takes them. */
  rate: number;
  symbols: readonly string[];
  /** More environment for the pipeline process. */
  env?: Record<string, string>;
  /** More environment for the simulator process. */
  simulatorEnv?: Record<string, string>;
  /** Flags for the pipeline's bun (e.g. `--cpu-prof`). */
  bunFlags?: string[];
}

export interface DevSetup {
  simulator: TickflowProcess;
  /** `bun src/main.ts` with every role, reading the simulator as its Finnhub source. */
  pipeline: TickflowProcess;
  stop(): Promise<void>;
}

/**
 * `bun src/main.ts simulate` on a free loopback port at `rate` trades/s, taking all of `symbols` on one
 * connection; its `url` is the FINNHUB_WS_URL to point a pipeline at.
 */
export const startBenchSimulator = (
  rate: number,
  symbols: readonly string[],
  env: Record<string, string> = {},
): Promise<TickflowProcess> =>
  startTickflowProcess({
    args: ["simulate"],
    env: {
      SIMULATOR_HOST: "127.0.0.1",
      SIMULATOR_PORT: "0",
      SIMULATOR_RATE: String(rate),
      SIMULATOR_SYMBOL_LIMIT: String(symbols.length),
      ...env,
    },
    ready: /FINNHUB_WS_URL=(ws:\/\/[\w.:]+)/,
  });

/** The pipeline's source settings for a bench simulator: it as Finnhub, every symbol on one connection. */
export const simulatorAsFinnhub = (simulator: TickflowProcess, symbols: readonly string[]) => ({
  SOURCE: "finnhub",
  FINNHUB_WS_URL: simulator.url,
  FINNHUB_API_KEY: "sandbox",
  FINNHUB_SYMBOLS_PER_CONNECTION: String(symbols.length),
  SYMBOLS: symbols.join(","),
});

/**
 * Dev mode with the simulator in a process of its own (it is not part of the pipeline, so it must not
 * share the pipeline's event loop): `bun src/main.ts simulate`, then `bun src/main.ts` pointed at it as
 * if it were Finnhub, on a fresh SQLite file, all symbols on one connection.
 */
export const startDevSetup = async (options: DevSetupOptions): Promise<DevSetup> => {
  const simulator = await startBenchSimulator(options.rate, options.symbols, options.simulatorEnv);
  try {
    const pipeline = await startDevProcess(
      { ...simulatorAsFinnhub(simulator, options.symbols), ...options.env },
      30_000,
      options.bunFlags,
    );
    return {
      simulator,
      pipeline,
      stop: async () => {
        await pipeline.stop();
        await simulator.stop();
      },
    };
  } catch (error) {
    await simulator.stop();
    throw error;
  }
};
