import { z } from "zod";
import { bool, option, optionalInstant, optionalString } from "../fields.ts";

/** Flags of the operations commands (rewind, recompute); the pipeline ignores them. */
export const ops = z.object({
  group: option(optionalString(), {
    env: "OPS_GROUP",
    flag: "group",
    description: "rewind: the consumer group to move back (tickflow-processor or tickflow-writer)",
  }),
  from: option(optionalInstant(), {
    env: "OPS_FROM",
    flag: "from",
    description: "recompute: start of the range (epoch ms or ISO 8601 with offset)",
  }),
  to: option(optionalInstant(), {
    env: "OPS_TO",
    flag: "to",
    description:
      "rewind: the time to go back to; recompute: end of the range, exclusive (epoch ms or ISO 8601)",
  }),
  dryRun: option(bool(false), {
    env: "OPS_DRY_RUN",
    flag: "dry-run",
    description: "rewind, recompute: report what would change and change nothing",
  }),
});
