import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { allRules, prometheusDir } from "./support/rules.ts";
import { run, tool } from "./support/tools.ts";

const testsDir = join(prometheusDir, "tests");
const testFiles = readdirSync(testsDir)
  .filter((name) => name.endsWith(".yml"))
  .map((name) => join(testsDir, name));
const alertmanagerConfig = "observability/alertmanager/alertmanager.yml";

interface AlertTest {
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string> }[];
}

interface UnitTestFile {
  tests: { alert_rule_test?: AlertTest[] }[];
}

/** A passing run prints its output when it does not pass, so a failure says why. */
const expectSuccess = (result: { code: number; output: string }) =>
  expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({
    code: 0,
    output: "",
  });

describe("Prometheus configuration", () => {
  test("promtool check config accepts prometheus.yml and the rule files it loads", async () => {
    expectSuccess(await run([tool("promtool"), "check", "config", join(prometheusDir, "prometheus.yml")]));
  });

  test("every alert unit test passes (promtool test rules)", async () => {
    expectSuccess(await run([tool("promtool"), "test", "rules", ...testFiles]));
  });

  test("every alert, at each severity, has a unit test where it fires and one where it stays silent", async () => {
    const fires = new Set<string>();
    const silent = new Set<string>();
    for (const path of testFiles) {
      const file = parse(await Bun.file(path).text()) as UnitTestFile;
      for (const check of file.tests.flatMap((group) => group.alert_rule_test ?? [])) {
        const expected = check.exp_alerts ?? [];
        if (expected.length === 0) silent.add(check.alertname);
        for (const alert of expected) fires.add(`${check.alertname}/${alert.exp_labels?.severity}`);
      }
    }
    const alerts = (await allRules()).filter((rule) => rule.alert !== undefined);
    const untested = alerts.flatMap((rule) => [
      ...(fires.has(`${rule.alert}/${rule.labels?.severity}`)
        ? []
        : [`${rule.alert}/${rule.labels?.severity} never fires`]),
      ...(silent.has(rule.alert!) ? [] : [`${rule.alert} is never checked silent`]),
    ]);
    expect(untested).toEqual([]);
  });
});

describe("Alertmanager configuration", () => {
  test("amtool check-config accepts alertmanager.yml and its templates", async () => {
    const result = await run([tool("amtool"), "check-config", alertmanagerConfig]);
    expectSuccess(result);
    expect(result.output).toContain("1 templates");
  });

  test.each([
    ["critical", "oncall-critical"],
    ["warning", "slack-warnings"],
  ])("a %s alert is routed to %s", async (severity, receiver) => {
    const result = await run([
      tool("amtool"),
      "config",
      "routes",
      "test",
      `--config.file=${alertmanagerConfig}`,
      `--verify.receivers=${receiver}`,
      `severity=${severity}`,
      "alertname=DataStale",
    ]);
    expectSuccess(result);
  });
});
