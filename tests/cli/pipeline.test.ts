import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPipeline, type TestPipeline } from "../observability/support/pipeline.ts";

let running: TestPipeline;
let base: string;
beforeAll(async () => {
  running = await startTestPipeline({ ROLES: "api" });
  base = `http://127.0.0.1:${running.pipeline.port}`;
});
afterAll(() => running.stop());

test("every route the process serves answers an unknown path or method in the error shape", async () => {
  for (const [method, path] of [
    ["GET", "/v1/nope"],
    ["GET", "/nope"],
    ["GET", "/v1/bars/AAPL/extra"],
    ["GET", "/healthz/"],
    ["POST", "/v1/symbols"],
    ["DELETE", "/metrics"],
  ] as const) {
    const response = await fetch(`${base}${path}`, { method });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect(await response.json()).toEqual({
      error: { code: "NOT_FOUND", message: `no route for ${method} ${path}` },
    });
  }
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/v1/symbols`)).status).toBe(200);
});
