import { expect, test } from "bun:test";
import { Counter } from "prom-client";
import { createLogger } from "../../src/runtime/logger.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { startRateReporter } from "../../src/runtime/stats.ts";
import { waitFor } from "./transport/contract.ts";

const reporter = (intervalMs: number) => {
  const registry = createRegistry();
  new Counter({ name: "things_total", help: "things", registers: [registry] }).inc(5);
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    destination: { write: (line: string) => void lines.push(line) },
  });
  const stop = startRateReporter(registry, logger, [{ metric: "things_total", label: "things" }], intervalMs);
  return { lines, stop };
};

test("reports the rate of each counter every interval, and the totals when stopped", async () => {
  const { lines, stop } = reporter(20);
  await waitFor(() => lines.length >= 2, 5_000, "two reports");
  await stop();
  expect(JSON.parse(lines[0]!)).toMatchObject({ rates: { things: expect.any(Number) } });
  expect(lines[0]).toContain("rates things=");
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ totals: { things: 5 }, msg: "totals things=5" });
});

test("an interval of 0 reports nothing", async () => {
  const { lines, stop } = reporter(0);
  const { lines: control, stop: stopControl } = reporter(20);
  await waitFor(() => control.length >= 2, 5_000, "the control's reports");
  await stop();
  await stopControl();
  expect(lines).toEqual([]);
});
