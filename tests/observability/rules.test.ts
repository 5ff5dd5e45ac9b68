import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type MetricsDoc, readMetricsDoc, repoRoot, seriesExists } from "./support/metrics-doc.ts";
import { metricNames } from "./support/promql.ts";
import { defaultMetricNames } from "./support/registry.ts";
import { allRules, type Rule } from "./support/rules.ts";

/** The alerts issue 7 asks for, plus TradesDropped (DESIGN section 10: drops are never silent). */
const requiredAlerts = [
  "ProducerDown",
  "WebSocketDisconnected",
  "HighValidationErrorRate",
  "KafkaWriteFailures",
  "ConsumerLagHigh",
  "StoreWriteErrors",
  "HighStoreWriteLatency",
  "DataStale",
  "BarsNotFinalising",
  "DeadLettersRising",
  "EndToEndLatencyHigh",
  "TradesDropped",
];

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");

describe("alerting and recording rules", () => {
  let rules: Rule[];
  let doc: MetricsDoc;
  let anchors: Set<string>;
  const defaults = defaultMetricNames();
  const alerts = () => rules.filter((rule) => rule.alert !== undefined);

  beforeAll(async () => {
    rules = await allRules();
    doc = await readMetricsDoc();
    const operations = await Bun.file(join(repoRoot, "docs/OPERATIONS.md")).text();
    anchors = new Set([...operations.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));
  });

  test("every required alert exists, and no other", () => {
    expect([...new Set(alerts().map((rule) => rule.alert!))].sort()).toEqual([...requiredAlerts].sort());
  });

  test("every rule reads only series the code emits (docs/METRICS.md) or other recording rules", () => {
    const unknown = rules.flatMap((rule) =>
      [...metricNames(rule.expr)]
        .filter((series) => !seriesExists(doc, defaults, series))
        .map((series) => `${rule.alert ?? rule.record}: ${series}`),
    );
    expect(unknown).toEqual([]);
  });

  test("every recording rule is documented in docs/METRICS.md, and every documented one exists", () => {
    const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
    expect([...recorded].sort()).toEqual([...doc.recorded.keys()].sort());
  });

  test("every alert has a severity, a summary, a description and a runbook section", () => {
    for (const rule of alerts()) {
      const { severity } = rule.labels ?? {};
      const { summary, description, runbook_url: runbook } = rule.annotations ?? {};
      expect({ alert: rule.alert, severity: ["warning", "critical"].includes(severity ?? "") }).toEqual({
        alert: rule.alert,
        severity: true,
      });
      expect(summary?.length ?? 0).toBeGreaterThan(10);
      expect(description?.length ?? 0).toBeGreaterThan(30);
      const anchor = /#([\w-]+)$/.exec(runbook ?? "")?.[1];
      expect({ alert: rule.alert, anchor }).toEqual({ alert: rule.alert, anchor: rule.alert!.toLowerCase() });
      expect(anchors.has(anchor!)).toBe(true);
    }
  });

  test("an alert defined twice has one rule per severity", () => {
    const byName = Map.groupBy(alerts(), (rule) => rule.alert!);
    for (const [name, variants] of byName) {
      const severities = variants.map((rule) => rule.labels?.severity).sort();
      expect({ name, unique: new Set(severities).size === severities.length }).toEqual({
        name,
        unique: true,
      });
    }
  });
});
