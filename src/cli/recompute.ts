import { openBarCloseAfterMs, recomputeRange } from "../modules/writer/index.ts";
import { TickflowError } from "../runtime/errors.ts";
import { createRegistry } from "../runtime/metrics/index.ts";
import { createStore } from "../runtime/store/index.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";

/**
 * `recompute SYMBOL... --from TIME --to TIME [--dry-run]`: rebuilds the stored final 1-minute bars of the
 * range from the stored trades, writing rev + 1 only where a bar changes.
 */
export const recompute: Command = async ({ config, positionals }) => {
  const { from, to, dryRun } = config.ops;
  const { outlierExclude } = config.processor;
  if (positionals.length === 0 || from === undefined || to === undefined) {
    throw new TickflowError("CONFIG_INVALID", "recompute needs SYMBOL... --from TIME --to TIME");
  }
  if (from >= to) throw new TickflowError("CONFIG_INVALID", "recompute: --from must be before --to");
  const logger = processLogger(config);
  const store = await createStore({ config, logger, registry: createRegistry() });
  try {
    for (const symbol of positionals) {
      // An open bar no running pipeline would still finalise was left by a stopped run: closed here.
      const closedBefore = Date.now() - openBarCloseAfterMs(config.processor);
      const summary = await recomputeRange({ store, symbol, from, to, dryRun, outlierExclude, closedBefore });
      logger.info(
        { symbol, dryRun, ...summary },
        `${symbol}: ${summary.windows} minutes with trades, ${summary.corrected} corrected, ${summary.created} created, ${summary.finalized} finalised (left open by a stopped run), ${summary.unchanged} unchanged, ${summary.open} still open${dryRun ? " (dry run: nothing written)" : ""}`,
      );
    }
  } finally {
    await store.close();
  }
  return 0;
};
