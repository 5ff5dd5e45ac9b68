import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Pipeline, startPipeline } from "../../../src/cli/pipeline.ts";
import { loadConfig } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";

export interface TestPipeline {
  pipeline: Pipeline;
  /** Stops every module and deletes the SQLite folder. */
  stop(): Promise<void>;
}

/**
 * `startPipeline` as `bun run dev` runs it (memory transport, SQLite in a fresh temporary folder, HTTP on
 * a free loopback port), with `env` overriding any option.
 */
export const startTestPipeline = async (env: Record<string, string> = {}): Promise<TestPipeline> => {
  const dir = mkdtempSync(join(tmpdir(), "tickflow-obs-"));
  const { config } = loadConfig([], {
    PORT: "0",
    HOST: "127.0.0.1",
    SQLITE_PATH: join(dir, "tickflow.db"),
    STATS_INTERVAL_MS: "0",
    ...env,
  });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let pipeline: Pipeline;
  try {
    pipeline = await startPipeline({ config, logger: silentLogger() });
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    pipeline,
    stop: async () => {
      await pipeline.runtime.stop("test over");
      cleanup();
    },
  };
};
