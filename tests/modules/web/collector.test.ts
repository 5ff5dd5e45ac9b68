import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { COLLECTOR_PATH, MAX_PAYLOAD_BYTES } from "../../../src/modules/web/index.ts";
import { createWebFixture } from "./support.ts";

const post = (app: ReturnType<typeof createWebFixture>["app"], body: BodyInit, headers: HeadersInit = {}) =>
  app.request(COLLECTOR_PATH, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

/** A payload shaped like what the Faro web SDK sends. */
const faroPayload = {
  meta: { app: { name: "tickflow-web", version: "abc" }, page: { url: "http://localhost/" } },
  events: [{ name: "page_load", domain: "browser", timestamp: "2026-01-01T00:00:00.000Z" }],
  exceptions: [
    {
      type: "TypeError",
      value: "x is undefined",
      timestamp: "2026-01-01T00:00:00.000Z",
      stacktrace: { frames: [] },
    },
    { type: "UnhandledRejection", value: "Non-Error promise rejection captured with value: 1" },
    { type: "MyVeryOwnError", value: "made up by the page" },
  ],
  measurements: [
    { type: "web-vitals", values: { lcp: 1200, delta: 1200 }, context: { rating: "good" } },
    { type: "web-vitals", values: { ttfb: 80, dns_duration: 0 } },
    { type: "web-vitals", values: { cls: 0.12, delta: 0.12 } },
    { type: "tickflow_request", values: { duration_ms: 42 }, context: { endpoint: "bars" } },
    { type: "tickflow_request", values: { duration_ms: 5 }, context: { endpoint: "/v1/secret?x=1" } },
    { type: "something-else", values: { n: 1 } },
  ],
  logs: [],
};

describe("the Faro collector", () => {
  test("turns a Faro payload into page loads, errors by type, vitals and request timings", async () => {
    const { app, sample } = createWebFixture();
    const response = await post(app, JSON.stringify(faroPayload));
    expect(response.status).toBe(202);
    expect(await sample("web_page_loads_total")).toBe(1);
    expect(await sample("web_errors_total", { type: "TypeError" })).toBe(1);
    expect(await sample("web_errors_total", { type: "UnhandledRejection" })).toBe(1);
    expect(await sample("web_errors_total", { type: "other" })).toBe(1);
    expect(await sample("web_vitals_seconds", { name: "lcp" }, "web_vitals_seconds_sum")).toBeCloseTo(1.2);
    expect(await sample("web_vitals_seconds", { name: "ttfb" }, "web_vitals_seconds_count")).toBe(1);
    expect(await sample("web_vitals_cls", {}, "web_vitals_cls_sum")).toBeCloseTo(0.12);
    expect(
      await sample("web_request_duration_seconds", { endpoint: "bars" }, "web_request_duration_seconds_sum"),
    ).toBeCloseTo(0.042);
    expect(await sample("web_telemetry_payloads_total", { outcome: "accepted" })).toBe(1);
  });

  test("labels come from closed lists, whatever the page sends", async () => {
    const { app, labelValues } = createWebFixture();
    const exceptions = Array.from({ length: 200 }, (_, i) => ({ type: `Error${i}`, value: "x" }));
    const measurements = Array.from({ length: 200 }, (_, i) => ({
      type: "tickflow_request",
      values: { duration_ms: 1 },
      context: { endpoint: `endpoint-${i}` },
    }));
    const vitals = { type: "web-vitals", values: { lcp: 1, "made-up-vital": 3 } };
    expect(
      (await post(app, JSON.stringify({ exceptions, measurements: [...measurements, vitals] }))).status,
    ).toBe(202);
    expect(await labelValues("web_errors_total", "type")).toEqual(["other"]);
    expect(await labelValues("web_request_duration_seconds", "endpoint")).toEqual([]);
    expect(await labelValues("web_vitals_seconds", "name")).toEqual(["lcp"]);
  });

  test("malformed payloads get a 400 and are counted", async () => {
    const { app, sample } = createWebFixture();
    const bodies = [
      "not json",
      "[1, 2]",
      JSON.stringify({ exceptions: "boom" }),
      JSON.stringify({ measurements: [{ type: "web-vitals", values: { lcp: "slow" } }] }),
      JSON.stringify({ events: [{ name: 42 }] }),
      JSON.stringify({ exceptions: Array.from({ length: 501 }, () => ({ type: "Error" })) }),
    ];
    for (const body of bodies) {
      const response = await post(app, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "BAD_REQUEST", message: "expected a Faro payload" },
      });
    }
    expect(await sample("web_telemetry_payloads_total", { outcome: "malformed" })).toBe(bodies.length);
    expect(await sample("web_errors_total", { type: "Error" })).toBe(0);
  });

  test("a payload over the size bound gets a 413, announced or streamed", async () => {
    const { app, sample } = createWebFixture();
    const big = JSON.stringify({ logs: ["x".repeat(MAX_PAYLOAD_BYTES)] });
    expect((await post(app, big)).status).toBe(413);
    const chunks = [
      new TextEncoder().encode(big.slice(0, 1_000)),
      new TextEncoder().encode(big.slice(1_000)),
    ];
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await app.request(COLLECTOR_PATH, {
      method: "POST",
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await sample("web_telemetry_payloads_total", { outcome: "too_large" })).toBe(2);
  });

  test("no input makes it answer 500", async () => {
    const { app } = createWebFixture();
    const json = fc.jsonValue().map((value) => JSON.stringify(value));
    const payloadish = fc
      .record(
        {
          exceptions: fc.array(
            fc.record({ type: fc.oneof(fc.string(), fc.integer()), value: fc.anything() }),
          ),
          measurements: fc.array(
            fc.record({
              type: fc.constantFrom("web-vitals", "tickflow_request", "x"),
              values: fc.dictionary(fc.string(), fc.oneof(fc.double(), fc.string())),
              context: fc.anything(),
            }),
          ),
          events: fc.array(
            fc.record({ name: fc.oneof(fc.constant("page_load"), fc.string()), attributes: fc.anything() }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), json, payloadish), async (body) => {
        const response = await post(app, body);
        expect([202, 400, 413]).toContain(response.status);
      }),
      { numRuns: 300 },
    );
  });
});
