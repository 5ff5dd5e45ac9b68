import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { createOpsApp } from "../../../src/modules/api/index.ts";
import { HealthChecks } from "../../../src/runtime/health.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { type ApiFixture, createApiFixture } from "./support.ts";

const fixtures: ApiFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.cleanup()));
});

/** An ops app whose readiness covers the store of a fresh api fixture. */
const make = () => {
  const fixture = createApiFixture();
  fixtures.push(fixture);
  const health = new HealthChecks();
  health.register("store", () => fixture.store.health());
  health.register("transport", async () => ({ ok: true, detail: "in-process channels" }));
  const ops = createOpsApp({ health, registry: fixture.registry, logger: silentLogger() });
  return { fixture, ops };
};

test("/healthz answers while the process runs", async () => {
  const response = await make().ops.request("/healthz");
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("/readyz turns 503 while the store is unreachable and back to 200 after", async () => {
  const { fixture, ops } = make();
  const ready = async () => {
    const response = await ops.request("/readyz");
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  expect(await ready()).toEqual({
    status: 200,
    body: {
      ready: true,
      dependencies: {
        store: { ok: true, detail: expect.any(String) },
        transport: { ok: true, detail: "in-process channels" },
      },
    },
  });
  const intruder = new Database(fixture.path);
  intruder.run("BEGIN IMMEDIATE");
  const down = await ready();
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({
    ready: false,
    dependencies: { store: { ok: false }, transport: { ok: true } },
  });
  intruder.run("ROLLBACK");
  intruder.close();
  expect((await ready()).status).toBe(200);
  await fixture.store.close();
  expect((await ready()).status).toBe(503);
});

test("/metrics serves the registry in Prometheus text format", async () => {
  const { fixture, ops } = make();
  await fixture.get("/v1/symbols");
  const response = await ops.request("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const text = await response.text();
  expect(text).toContain('http_requests_total{route="/v1/symbols",method="GET",status="200"} 1');
  expect(text).toContain("process_cpu_seconds_total");
});

test("unknown ops routes are 404 in the error shape", async () => {
  const response = await make().ops.request("/metricz");
  expect(response.status).toBe(404);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
});
