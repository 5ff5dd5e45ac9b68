import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  allPanels,
  allQueries,
  type Dashboard,
  readDashboards,
  readDataSources,
  type Target,
} from "./support/grafana.ts";
import { type MetricsDoc, readMetricsDoc, seriesExists } from "./support/metrics-doc.ts";
import { startTestPipeline, type TestPipeline } from "./support/pipeline.ts";
import { metricNames } from "./support/promql.ts";
import { defaultMetricNames } from "./support/registry.ts";

const PROMETHEUS = "prometheus";
const INFINITY = "yesoreyeram-infinity-datasource";

/** `label_values(selector, label)` of a variable query: only the selector names metrics. */
const promql = (expr: string) => expr.replace(/^\s*label_values\((.*),\s*\w+\s*\)\s*$/s, "$1");

describe("Grafana provisioning", () => {
  let dashboards: { file: string; dashboard: Dashboard }[];
  let dataSources: Map<string, { type: string; url: string }>;
  let doc: MetricsDoc;
  const defaults = defaultMetricNames();

  beforeAll(async () => {
    dashboards = await readDashboards();
    dataSources = await readDataSources();
    doc = await readMetricsDoc();
  });

  test("provisions a Prometheus and an Infinity (JSON API) data source", () => {
    expect(sortedTypes(dataSources)).toEqual([PROMETHEUS, INFINITY].sort());
  });

  test("the pipeline-health, services, freshness and market dashboards have unique uids and panel ids", () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([
      "tickflow-freshness",
      "tickflow-market",
      "tickflow-pipeline-health",
      "tickflow-services",
    ]);
    for (const { dashboard } of dashboards) {
      const ids = allPanels(dashboard.panels).map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of allPanels(dashboard.panels)) expect(panel.gridPos).toBeDefined();
    }
  });

  test("every query runs on a provisioned data source of the right type", () => {
    for (const { dashboard } of dashboards) {
      for (const { where, datasource } of allQueries(dashboard)) {
        const provisioned = datasource && dataSources.get(datasource.uid);
        expect({ where, type: provisioned?.type }).toEqual({ where, type: datasource?.type });
      }
    }
  });

  test("every Prometheus query names only metrics the code emits", () => {
    const unknown: string[] = [];
    let checked = 0;
    for (const { dashboard } of dashboards) {
      for (const { where, datasource, target } of allQueries(dashboard)) {
        if (datasource?.type !== PROMETHEUS) continue;
        const names = metricNames(promql(target.expr ?? ""));
        expect({ where, names: names.size > 0 }).toEqual({ where, names: true });
        checked++;
        for (const name of names) if (!seriesExists(doc, defaults, name)) unknown.push(`${where}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });
});

const sortedTypes = (sources: Map<string, { type: string }>) =>
  [...sources.values()].map((s) => s.type).sort();

describe("the market dashboard against a running pipeline", () => {
  let running: TestPipeline;
  let market: Dashboard;
  let base: string;
  let symbol: string;

  const getJson = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** The URL of a query with Grafana's variables replaced as the dashboard's defaults would. */
  const resolve = (url: string) => {
    const now = Date.now();
    const values: Record<string, string> = { __from: String(now - 6 * 3_600_000), __to: String(now), symbol };
    for (const variable of market.templating.list) {
      if (variable.current) values[variable.name] = variable.current.value;
    }
    return url.replace(/\$\{(\w+)(?::(\w+))?\}/g, (_, name: string, format?: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`unknown variable ${name} in ${url}`);
      return format === "percentencode" ? encodeURIComponent(value) : value;
    });
  };

  beforeAll(async () => {
    market = (await readDashboards()).find(({ dashboard }) => dashboard.uid === "tickflow-market")!.dashboard;
    running = await startTestPipeline({ SIMULATOR_RATE: "500" });
    base = `http://127.0.0.1:${running.pipeline.port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const symbols = (await getJson("/v1/symbols")).body.results as { symbol: string }[] | undefined;
      symbol = symbols?.[0]?.symbol ?? "";
      if (
        symbol &&
        (
          (await getJson(`/v1/bars/${encodeURIComponent(symbol)}?include_open=true`)).body
            .results as unknown[]
        ).length > 0
      )
        break;
      if (Date.now() > deadline) throw new Error("no bar stored within 20 s");
      await Bun.sleep(100);
    }
  });
  afterAll(() => running?.stop());

  test("every API query returns rows holding each field its columns select", async () => {
    const queries = allQueries(market).filter(({ datasource }) => datasource?.type === INFINITY);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const { where, target } of queries) {
      const { status, body } = await getJson(resolve(target.url!));
      const rows = body[target.root_selector!] as Record<string, unknown>[];
      expect({ where, status, rows: rows.length > 0 }).toEqual({ where, status: 200, rows: true });
      const missing = (target.columns ?? [])
        .map((column) => column.selector)
        .filter((field) => !(field in rows[0]!));
      expect({ where, missing }).toEqual({ where, missing: [] });
    }
  });

  test("bar times are epoch milliseconds, as the columns' timestamp_epoch type reads them", async () => {
    const bars = allQueries(market).find(({ target }) => target.url?.startsWith("/v1/bars/"))!
      .target as Target;
    const rows = (await getJson(resolve(bars.url!))).body.results as { t: number }[];
    expect(bars.columns?.find((column) => column.selector === "t")?.type).toBe("timestamp_epoch");
    expect(Math.abs(rows.at(-1)!.t - Date.now())).toBeLessThan(10 * 60_000);
  });
});
