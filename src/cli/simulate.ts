import { startSimulator } from "../modules/simulator/index.ts";
import { startRuntime } from "../runtime/lifecycle.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";
import { untilDone } from "./until-done.ts";

/** A standalone Finnhub-compatible server: point FINNHUB_WS_URL at it. */
export const simulate: Command = async ({ config }) => {
  const logger = processLogger(config);
  let url = "";
  const runtime = await startRuntime(
    [
      {
        name: "simulator",
        start: async () => {
          const simulator = await startSimulator(config.simulator, logger);
          url = simulator.url;
          return simulator.handle;
        },
      },
    ],
    logger,
  );
  logger.info(`simulator listening: FINNHUB_WS_URL=${url} FINNHUB_API_KEY=<SIMULATOR_TOKEN>`);
  return untilDone(runtime, logger);
};
