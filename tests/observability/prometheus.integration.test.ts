import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { type Simulator, startSimulator } from "../../src/modules/simulator/index.ts";
import { loadConfig } from "../../src/runtime/config/index.ts";
import { silentLogger } from "../../src/runtime/logger.ts";
import { startTestPipeline, type TestPipeline } from "./support/pipeline.ts";
import { type PrometheusServer, startPrometheus, waitFor } from "./support/prometheus-server.ts";
import { prometheusDir, readRuleFiles } from "./support/rules.ts";

const roleJobs = ["ingest", "processor", "writer", "api"];

interface ScrapeConfig {
  job_name: string;
}

interface Alert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

/** Copies of the real rule files with every `for` cut to 1 s; the expressions stay exactly as shipped. */
const writeFastRules = async (dir: string) =>
  Promise.all(
    (await readRuleFiles()).map(async ({ path, file }) => {
      const fast = {
        groups: file.groups.map((group) => ({
          ...group,
          rules: group.rules.map((rule) => (rule.for === undefined ? rule : { ...rule, for: "1s" })),
        })),
      };
      const copy = join(dir, basename(path));
      await Bun.write(copy, JSON.stringify(fast));
      return copy;
    }),
  );

/**
 * The shipped prometheus.yml with its role jobs pointed at `target`, scraping every 2 s and evaluating
 * every second. A scrape may take 2 s before it counts as failed: with a 1-s timeout, one CI run on a
 * loaded machine raised ProducerDown (`up` == 0, the only way it fires with the target listed) while the
 * feed was connected.
 */
const testConfig = async (dir: string, target: string) => {
  const real = parse(await Bun.file(join(prometheusDir, "prometheus.yml")).text()) as {
    global: Record<string, unknown>;
    scrape_configs: ScrapeConfig[];
  };
  const jobs = real.scrape_configs.filter((job) => roleJobs.includes(job.job_name));
  expect(jobs.map((job) => job.job_name).sort()).toEqual([...roleJobs].sort());
  return {
    global: { ...real.global, scrape_interval: "2s", scrape_timeout: "2s", evaluation_interval: "1s" },
    rule_files: await writeFastRules(dir),
    scrape_configs: jobs.map(({ job_name }) => ({ job_name, static_configs: [{ targets: [target] }] })),
  };
};

describe("Prometheus scraping a dev pipeline fed by the simulator", () => {
  const symbols = loadConfig([], {}).config.ingest.symbols;
  let simulator: Simulator;
  let running: TestPipeline;
  let prometheus: PrometheusServer;

  const alerts = async () => (await prometheus.api<{ alerts: Alert[] }>("/api/v1/alerts")).alerts;

  beforeAll(async () => {
    const logger = silentLogger();
    const { config } = loadConfig([], { SIMULATOR_RATE: "300", SIMULATOR_PING_INTERVAL_MS: "1000" });
    simulator = await startSimulator(config.simulator, logger);
    running = await startTestPipeline({
      SOURCE: "finnhub",
      FINNHUB_WS_URL: simulator.url,
      FINNHUB_API_KEY: simulator.token,
      FINNHUB_RECONNECT_MAX_MS: "1000",
    });
    prometheus = await startPrometheus((dir) => testConfig(dir, `127.0.0.1:${running.pipeline.port}`));
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await running?.stop();
    await simulator?.handle.stop();
  });

  test("every role job finds its target up", async () => {
    const targets = await waitFor("every target up", async () => {
      const { activeTargets } = await prometheus.api<{
        activeTargets: { labels: { job: string }; health: string }[];
      }>("/api/v1/targets");
      const up = activeTargets.filter((target) => target.health === "up").map((target) => target.labels.job);
      return up.length === roleJobs.length ? up : undefined;
    });
    expect(targets.sort()).toEqual([...roleJobs].sort());
  }, 45_000);

  test("recording rules compute rates, latency and per-symbol freshness from the live metrics", async () => {
    const series = (promql: string, count = 1) =>
      waitFor(`${promql} (${count} series)`, async () => {
        const result = await prometheus.query(promql);
        return result.length >= count ? result : undefined;
      });
    await series("tickflow:ingest_trades:rate1m > 0");
    await series("tickflow:trades_stored:rate1m > 0");
    await series('tickflow:end_to_end_latency_seconds:p95_5m{from="ingest"} >= 0');
    expect((await series("tickflow:market_open", 3)).map((s) => s.metric.market).sort()).toEqual([
      "crypto",
      "fx",
      "us_equity",
    ]);
    const ages = await series("tickflow:symbol_stored_age_seconds < 120", symbols.length);
    const markets = Object.fromEntries(ages.map((s) => [s.metric.symbol, s.metric.market]));
    expect(markets).toMatchObject({ AAPL: "us_equity", "BINANCE:BTCUSDT": "crypto", "OANDA:EUR_USD": "fx" });
    expect(Object.keys(markets).sort()).toEqual([...symbols].sort());
  }, 45_000);

  test("every recording and alerting rule evaluates without error", async () => {
    const rules = await waitFor("every rule evaluated", async () => {
      const { groups } = await prometheus.api<{ groups: { rules: { name: string; health: string }[] }[] }>(
        "/api/v1/rules",
      );
      const all = groups.flatMap((group) => group.rules);
      return all.every((rule) => rule.health !== "unknown") ? all : undefined;
    });
    expect(rules.filter((rule) => rule.health !== "ok").map((rule) => rule.name)).toEqual([]);
    expect(rules.length).toBeGreaterThan(20);
  }, 45_000);

  test("with the feed connected, neither ProducerDown nor WebSocketDisconnected is raised", async () => {
    // Judged by evaluations made from now on, when every target has been seen up: one made before the
    // first scrapes can still show ProducerDown from start-up (`absent(up)`), and a CI run once looked
    // within the second before the next evaluation cleared it.
    const since = Date.now();
    await waitFor("every rule group evaluated again", async () => {
      const { groups } = await prometheus.api<{ groups: { lastEvaluation: string }[] }>("/api/v1/rules");
      return groups.every((group) => Date.parse(group.lastEvaluation) > since) ? groups : undefined;
    });
    const raised = (await alerts()).map((alert) => alert.labels.alertname);
    expect(raised).not.toContain("ProducerDown");
    expect(raised).not.toContain("WebSocketDisconnected");
  });

  test("stopping the simulator fires WebSocketDisconnected for the ingest connection", async () => {
    await simulator.handle.stop();
    const fired = await waitFor("WebSocketDisconnected to fire", async () => {
      const found = (await alerts()).filter(
        (alert) =>
          alert.labels.alertname === "WebSocketDisconnected" &&
          alert.labels.job === "ingest" &&
          alert.state === "firing",
      );
      return found.length > 0 ? found : undefined;
    });
    expect(fired[0]!.labels).toMatchObject({ connection: "0", severity: expect.any(String) });
    expect((await alerts()).map((alert) => alert.labels.alertname)).not.toContain("ProducerDown");
  }, 45_000);
});
