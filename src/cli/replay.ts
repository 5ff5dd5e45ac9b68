import { assertReplayFiles } from "../modules/ingest/index.ts";
import { TickflowError } from "../runtime/errors.ts";
import { RuntimeEvents } from "../runtime/events.ts";
import type { Command } from "./index.ts";
import { processLogger } from "./logger.ts";
import { startPipeline } from "./pipeline.ts";
import { untilDone } from "./until-done.ts";

const REPLAY_SOURCE = "replay";

/**
 * Replays files through the pipeline of this process and exits 0 once the end of the input is durable
 * on every partition (every bar final). Without the writer role here (role-split), it exits once the
 * ingest has published everything.
 */
export const replay: Command = async ({ config, positionals }) => {
  if (positionals.length === 0) {
    throw new TickflowError("CONFIG_INVALID", "replay needs at least one FILE (NDJSON frames or CSV trades)");
  }
  const logger = processLogger(config);
  const events = new RuntimeEvents();
  const partitions = config.transport.partitions;
  const durable = new Set<number>();
  const allDurable = Promise.withResolvers<void>();
  events.on("input-durable", ({ source, partition }) => {
    if (source !== REPLAY_SOURCE) return;
    durable.add(partition);
    if (durable.size === partitions) allDurable.resolve();
  });

  if (!config.runtime.roles.includes("ingest")) {
    throw new TickflowError("CONFIG_INVALID", "replay needs the ingest role (ROLES)");
  }
  // Before anything starts: a mistyped path is a usage error, not a pipeline that fails.
  await assertReplayFiles(positionals);
  const pipeline = await startPipeline({
    config,
    logger,
    events,
    source: { kind: "replay", files: positionals },
  });
  const writesHere = config.runtime.roles.includes("writer");
  const finished = writesHere ? allDurable.promise : pipeline.ingestDone;
  let replayed = false;
  void Promise.race([finished.then(() => true), pipeline.runtime.done.then(() => false)]).then(
    (ended) => {
      if (!ended) return;
      replayed = true;
      logger.info(
        { files: positionals },
        writesHere ? "replay durable; stopping" : "replay published; stopping",
      );
      return pipeline.runtime.stop("replay finished");
    },
    () => {},
  );
  const code = await untilDone(pipeline.runtime, logger);
  if (code !== 0 || replayed) return code;
  // Stopped by a signal before the end of its input: a script must not take that for a full replay.
  logger.error({ files: positionals }, "replay stopped before the end of its input; run it again to finish");
  return 1;
};
