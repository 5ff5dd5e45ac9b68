import { describe, expect, test } from "bun:test";
import { helpText, loadConfig, redactConfig } from "../../../src/runtime/config/index.ts";
import { isTickflowError } from "../../../src/runtime/errors.ts";

const invalid = (argv: string[], env: Record<string, string>) => {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (isTickflowError(error) && error.code === "CONFIG_INVALID") return error.message;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
};

describe("loadConfig", () => {
  test("defaults give a runnable dev configuration", () => {
    const { config } = loadConfig([], {});
    expect(config.runtime.roles).toEqual(["ingest", "processor", "writer", "api"]);
    expect(config.runtime.transport).toBe("memory");
    expect(config.runtime.store).toBe("sqlite");
    expect(config.api.port).toBe(8080);
    expect(config.finnhub.apiKeys).toEqual([]);
    expect(config.processor.allowedLatenessMs).toBe(5_000);
  });

  test("environment variables are coerced to their types", () => {
    const { config } = loadConfig([], {
      PORT: "9001",
      ROLES: "ingest, api",
      FINNHUB_API_KEY: "k1,k2",
      OUTLIER_EXCLUDE: "yes",
      REPLAY_SPEED: "10",
    });
    expect(config.api.port).toBe(9001);
    expect(config.runtime.roles).toEqual(["ingest", "api"]);
    expect(config.finnhub.apiKeys).toEqual(["k1", "k2"]);
    expect(config.processor.outlierExclude).toBe(true);
    expect(config.replay.speed).toBe(10);
  });

  test("numbers are read only as a person writes them; an empty variable means the default", () => {
    expect(loadConfig([], { PORT: "" }).config.api.port).toBe(8080);
    expect(loadConfig([], { PORT: " 8081 " }).config.api.port).toBe(8081);
    expect(loadConfig([], { OUTLIER_SIGMA: "2.5" }).config.processor.outlierSigma).toBe(2.5);
    expect(loadConfig([], { OUTLIER_SIGMA: "" }).config.processor.outlierSigma).toBe(
      loadConfig([], {}).config.processor.outlierSigma,
    );
    for (const port of ["0x50", "1e3", "abc", "1.5", "8080 8081"]) {
      expect(invalid([], { PORT: port })).toContain(`PORT (--port): expected a whole number, got "${port}"`);
    }
    expect(invalid(["--outlier-sigma", "0x10"], {})).toContain(
      'OUTLIER_SIGMA (--outlier-sigma): expected a number, got "0x10"',
    );
  });

  test("a flag wins over the variable of the same meaning, in both spellings", () => {
    const { config } = loadConfig(["--port", "7000", "--log-level=debug", "--outlier-exclude"], {
      PORT: "9001",
      LOG_LEVEL: "warn",
    });
    expect(config.api.port).toBe(7000);
    expect(config.runtime.logLevel).toBe("debug");
    expect(config.processor.outlierExclude).toBe(true);
  });

  test("--record is the flag of RECORD_PATH; other arguments are positionals", () => {
    const line = loadConfig(["a.ndjson", "--record", "frames.ndjson", "b.csv"], {});
    expect(line.config.ingest.recordPath).toBe("frames.ndjson");
    expect(line.positionals).toEqual(["a.ndjson", "b.csv"]);
  });

  test("the config is frozen", () => {
    const { config } = loadConfig([], {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.api)).toBe(true);
  });

  test("an invalid value names the variable and its flag", () => {
    const message = invalid([], { PORT: "eighty", ROLES: "ingest,cooking" });
    expect(message).toContain("PORT (--port)");
    expect(message).toContain("ROLES (--roles)");
  });

  test("out of range and unknown enum values are rejected", () => {
    expect(invalid([], { PORT: "70000" })).toContain("PORT");
    expect(invalid([], { TRANSPORT: "carrier-pigeon" })).toContain("TRANSPORT");
    expect(invalid([], { OUTLIER_EXCLUDE: "maybe" })).toContain("OUTLIER_EXCLUDE");
    // The heap budget's share of the time: a whole percent from 1 to 50.
    expect(loadConfig([], { HEAP_BUDGET_PERCENT: "25" }).config.runtime.heapBudgetPercent).toBe(25);
    expect(invalid([], { HEAP_BUDGET_PERCENT: "0" })).toContain("HEAP_BUDGET_PERCENT");
    expect(invalid([], { HEAP_BUDGET_PERCENT: "80" })).toContain("HEAP_BUDGET_PERCENT");
    // A SQLite page size is a power of two from 512 to 65,536 bytes.
    expect(loadConfig([], { SQLITE_PAGE_SIZE: "4096" }).config.sqlite.pageSize).toBe(4_096);
    expect(invalid([], { SQLITE_PAGE_SIZE: "3000" })).toContain(
      "SQLITE_PAGE_SIZE (--sqlite-page-size): must be a power of two",
    );
    expect(invalid([], { SQLITE_PAGE_SIZE: "256" })).toContain("SQLITE_PAGE_SIZE");
  });

  test("an unknown flag or a flag without its value is an error", () => {
    expect(invalid(["--no-such-thing"], {})).toContain("--no-such-thing");
    expect(invalid(["--port"], {})).toContain("PORT");
  });

  test("--help is reported, and the help text lists every variable", () => {
    expect(loadConfig(["--help"], {}).help).toBe(true);
    const text = helpText("usage: tickflow");
    for (const name of [
      "ROLES",
      "TRANSPORT",
      "KAFKA_BROKERS",
      "SQLITE_PATH",
      "FINNHUB_API_KEY",
      "--record",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain("(one of: sqlite, cassandra) [default: sqlite]");
  });
});

describe("secrets", () => {
  const env = { FINNHUB_API_KEY: "sekrit-key", API_TOKEN: "tok-123", CASSANDRA_PASSWORD: "pw-456" };

  test("never appear in the redacted config", () => {
    const { config } = loadConfig([], env);
    const text = JSON.stringify(redactConfig(config));
    for (const secret of Object.values(env)) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  test("never appear in a config error", () => {
    const message = invalid([], { ...env, PORT: "x" });
    for (const secret of Object.values(env)) expect(message).not.toContain(secret);
  });

  test("defaults of secrets are not shown in help", () => {
    expect(helpText("usage")).not.toContain("sandbox");
  });
});
