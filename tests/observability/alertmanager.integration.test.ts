import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./support/metrics-doc.ts";
import { freePort, waitFor } from "./support/prometheus-server.ts";
import { tool } from "./support/tools.ts";

interface AmAlert {
  labels: Record<string, string>;
  status: { state: "active" | "suppressed" | "unprocessed"; inhibitedBy: string[] };
}

const alert = (labels: Record<string, string>) => ({
  labels,
  annotations: { summary: "test" },
  startsAt: new Date().toISOString(),
});

describe("Alertmanager with the shipped configuration", () => {
  let dir: string;
  let url: string;
  let child: Bun.Subprocess;

  const alerts = async (): Promise<AmAlert[]> =>
    (await fetch(`${url}/api/v2/alerts`)).json() as Promise<AmAlert[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tickflow-alertmanager-"));
    url = `http://127.0.0.1:${freePort()}`;
    // No secret files exist here: Alertmanager only reads them when it notifies, which it may fail to do.
    child = Bun.spawn(
      [
        tool("prometheus-alertmanager"),
        `--config.file=${join(repoRoot, "observability/alertmanager/alertmanager.yml")}`,
        `--storage.path=${dir}`,
        `--web.listen-address=${url.slice("http://".length)}`,
        "--cluster.listen-address=",
        "--log.level=error",
      ],
      { stdout: "ignore", stderr: Bun.file(join(dir, "alertmanager.log")) },
    );
    await waitFor("Alertmanager to be ready", async () => {
      if (child.exitCode !== null) throw new Error(await Bun.file(join(dir, "alertmanager.log")).text());
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    });
  }, 30_000);

  afterAll(async () => {
    child?.kill("SIGTERM");
    await child?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  test("a critical alert mutes the warning of the same alert and subject, and no other", async () => {
    const lag = { alertname: "ConsumerLagHigh", group: "tickflow-writer", topic: "stock-processed" };
    const posted = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert({ ...lag, partition: "3", severity: "critical" }),
        alert({ ...lag, partition: "3", severity: "warning" }),
        alert({ ...lag, partition: "4", severity: "warning" }),
        alert({ alertname: "DataStale", symbol: "AAPL", market: "us_equity", severity: "warning" }),
      ]),
    });
    expect(posted.status).toBe(200);
    const states = await waitFor("the alerts to be processed", async () => {
      const all = await alerts();
      if (all.length < 4 || all.some((a) => a.status.state === "unprocessed")) return undefined;
      return Object.fromEntries(
        all.map((a) => [
          `${a.labels.alertname}/${a.labels.partition ?? a.labels.symbol}/${a.labels.severity}`,
          a.status.state,
        ]),
      );
    });
    expect(states).toEqual({
      "ConsumerLagHigh/3/critical": "active",
      "ConsumerLagHigh/3/warning": "suppressed",
      "ConsumerLagHigh/4/warning": "active",
      "DataStale/AAPL/warning": "active",
    });
  });
});
