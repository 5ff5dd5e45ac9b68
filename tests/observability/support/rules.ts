import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./metrics-doc.ts";

export const prometheusDir = join(repoRoot, "observability/prometheus");

/** A rule of a Prometheus rule file: an alert or a recording rule. */
export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; interval?: string; rules: Rule[] }[];
}

/** The rule files prometheus.yml loads, in its order, parsed. */
export const readRuleFiles = async (): Promise<{ path: string; file: RuleFile }[]> => {
  const config = parse(await Bun.file(join(prometheusDir, "prometheus.yml")).text()) as {
    rule_files: string[];
  };
  return Promise.all(
    config.rule_files.map(async (relative) => {
      const path = join(prometheusDir, relative);
      return { path, file: parse(await Bun.file(path).text()) as RuleFile };
    }),
  );
};

export const allRules = async (): Promise<Rule[]> =>
  (await readRuleFiles()).flatMap(({ file }) => file.groups.flatMap((group) => group.rules));
