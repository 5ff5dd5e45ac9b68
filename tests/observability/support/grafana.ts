import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./metrics-doc.ts";

export const grafanaDir = join(repoRoot, "observability/grafana");

export interface DataSourceRef {
  type: string;
  uid: string;
}

/** The fields of a panel or variable query the tests look at (Prometheus or Infinity). */
export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  expr?: string;
  url?: string;
  root_selector?: string;
  columns?: { selector: string; text: string; type: string }[];
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets?: Target[];
  panels?: Panel[];
  gridPos?: { h: number; w: number; x: number; y: number };
}

export interface Variable {
  type: string;
  name: string;
  datasource?: DataSourceRef;
  query?: string | { query?: string; infinityQuery?: Target };
  current?: { value: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

/** The provisioned data sources, by uid. */
export const readDataSources = async (): Promise<Map<string, { type: string; url: string }>> => {
  const path = join(grafanaDir, "provisioning/datasources/tickflow.yml");
  const file = parse(await Bun.file(path).text()) as {
    datasources: { uid: string; type: string; url: string }[];
  };
  return new Map(file.datasources.map(({ uid, type, url }) => [uid, { type, url }]));
};

export const readDashboards = async (): Promise<{ file: string; dashboard: Dashboard }[]> => {
  const dir = join(grafanaDir, "dashboards");
  const files = readdirSync(dir).filter((name) => name.endsWith(".json"));
  return Promise.all(
    files.map(async (file) => ({ file, dashboard: (await Bun.file(join(dir, file)).json()) as Dashboard })),
  );
};

/** Every panel, rows' nested panels included. */
export const allPanels = (panels: readonly Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

/** Every query of a dashboard with the data source it runs on: panel targets and variable queries. */
export const allQueries = (
  dashboard: Dashboard,
): { where: string; datasource?: DataSourceRef; target: Target }[] => [
  ...allPanels(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `${dashboard.uid} panel "${panel.title}" ${target.refId}`,
      datasource: target.datasource ?? panel.datasource,
      target,
    })),
  ),
  ...dashboard.templating.list.flatMap((variable) => {
    const { query } = variable;
    if (query === undefined || variable.type !== "query") return [];
    const target: Target =
      typeof query === "string"
        ? { refId: variable.name, expr: query }
        : (query.infinityQuery ?? { refId: variable.name, expr: query.query });
    return [{ where: `${dashboard.uid} variable ${variable.name}`, datasource: variable.datasource, target }];
  }),
];
