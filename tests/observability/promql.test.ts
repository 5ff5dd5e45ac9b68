import { expect, test } from "bun:test";
import { metricNames } from "./support/promql.ts";

const names = (expr: string) => [...metricNames(expr)].sort();

test("selectors are found, functions, aggregations and keywords are not", () => {
  expect(names('sum by (reason) (rate(validation_errors_total{job="ingest"}[5m])) > 0')).toEqual([
    "validation_errors_total",
  ]);
  expect(
    names("histogram_quantile(0.95, sum by (le, from) (rate(end_to_end_latency_seconds_bucket[1m])))"),
  ).toEqual(["end_to_end_latency_seconds_bucket"]);
  expect(names("a_total > 0 unless on (job, instance) b_total offset 5m or vector(1) and bool c")).toEqual([
    "a_total",
    "b_total",
    "c",
  ]);
});

test("label names in matchers, grouping lists and strings, and Grafana variables are not names", () => {
  expect(
    names(
      'x * on (symbol) group_left (market) max by (symbol, market) (y{market=~"crypto|fx"}) ' +
        '+ label_replace(z, "dst", "$1", "src", "(.*)") + rate(w[$__rate_interval]) + v{symbol="$symbol"}',
    ),
  ).toEqual(["v", "w", "x", "y", "z"]);
  expect(names("tickflow:market_open == 1")).toEqual(["tickflow:market_open"]);
});
