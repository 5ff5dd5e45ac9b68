import { handleSignals, type Runtime } from "../runtime/lifecycle.ts";
import type { Logger } from "../runtime/logger.ts";

/** Waits for the runtime to end (by itself or on a signal): exit code 0, or 1 when a module failed. */
export const untilDone = async (runtime: Runtime, logger: Logger): Promise<number> => {
  const releaseSignals = handleSignals(runtime, logger);
  try {
    await runtime.done;
    return 0;
  } catch {
    return 1;
  } finally {
    releaseSignals();
  }
};
