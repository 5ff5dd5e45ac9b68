import { afterEach, describe, expect, test } from "bun:test";
import { type ApiFixture, createApiFixture } from "./support.ts";

const fixtures: ApiFixture[] = [];
const make = (...args: Parameters<typeof createApiFixture>) => {
  const fixture = createApiFixture(...args);
  fixtures.push(fixture);
  return fixture;
};
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.cleanup()));
});

test("unknown routes are 404 in the error shape", async () => {
  const { get } = make();
  for (const [method, path] of [
    ["GET", "/nope"],
    ["GET", "/v1/nope"],
    ["GET", "/v1/bars"],
    ["POST", "/v1/symbols"],
  ]) {
    const response = await get(path!, { method });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "NOT_FOUND", message: `no route for ${method} ${path}` },
    });
  }
});

test("a store that is gone is a 503 without internals", async () => {
  const fixture = make();
  await fixture.store.close();
  const { status, body } = await fixture.json("/v1/symbols");
  expect(status).toBe(503);
  expect(body).toEqual({
    error: { code: "STORE_UNAVAILABLE", message: "a dependency is unavailable, retry later" },
  });
});

describe("bearer token", () => {
  test("without a configured token /v1 is open", async () => {
    expect((await make().get("/v1/symbols")).status).toBe(200);
  });

  test("with one, /v1 needs it in the header (access_token only on the stream); spec and docs stay open", async () => {
    const { get, json } = make({ token: "s3cret-token" });
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: "Basic s3cret-token" },
    ];
    for (const headers of refused) {
      const response = await get("/v1/symbols", { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="tickflow"');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    }
    expect((await get("/v1/symbols", { headers: { authorization: "Bearer s3cret-token" } })).status).toBe(
      200,
    );
    expect((await get("/v1/symbols?access_token=s3cret-token")).status).toBe(401);
    expect((await get("/v1/stream?symbols=AAPL&access_token=s3cret")).status).toBe(401);
    expect((await get("/docs")).status).toBe(200);
    const spec = await json<{ security: unknown; components: { securitySchemes: unknown } }>("/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.security).toEqual([{ bearer: [] }]);
    expect(spec.body.components.securitySchemes).toEqual({ bearer: { type: "http", scheme: "bearer" } });
  });
});

describe("CORS", () => {
  const preflight = {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example",
      "access-control-request-method": "GET",
      "access-control-request-headers": "authorization",
    },
  };

  test("closed by default: no allow-origin header, no preflight answer", async () => {
    const { get } = make();
    const response = await get("/v1/symbols", { headers: { origin: "https://app.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect((await get("/v1/symbols", preflight)).headers.get("access-control-allow-origin")).toBeNull();
  });

  test("open to configured origins only, before authentication", async () => {
    const { get } = make({ corsOrigins: ["https://app.example"], token: "t0ken" });
    const answer = await get("/v1/symbols", preflight);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(answer.headers.get("access-control-allow-headers")).toContain("Authorization");
    const allowed = await get("/v1/symbols", {
      headers: { origin: "https://app.example", authorization: "Bearer t0ken" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const refused = await get("/v1/symbols", { headers: { origin: "https://other.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const unauthenticated = await get("/v1/symbols", { headers: { origin: "https://app.example" } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });
});

test("the OpenAPI 3.1 spec is generated from the routes", async () => {
  const { status, body } = await make().json<{
    openapi: string;
    paths: Record<string, { get: { parameters: { name: string; in: string }[] } }>;
    components: { schemas: Record<string, unknown> };
  }>("/openapi.json");
  expect(status).toBe(200);
  expect(body.openapi).toBe("3.1.0");
  expect(Object.keys(body.paths).sort()).toEqual([
    "/v1/bars/{symbol}",
    "/v1/status",
    "/v1/stream",
    "/v1/symbols",
    "/v1/trades/{symbol}",
  ]);
  const names = (path: string) => body.paths[path]!.get.parameters.map((p) => `${p.in}:${p.name}`).sort();
  expect(names("/v1/bars/{symbol}")).toEqual(
    [
      "path:symbol",
      "query:multiplier",
      "query:timespan",
      "query:from",
      "query:to",
      "query:limit",
      "query:sort",
      "query:include_open",
      "query:fill",
      "query:cursor",
    ].sort(),
  );
  expect(names("/v1/stream")).toEqual(["header:last-event-id", "query:access_token", "query:symbols"]);
  expect(Object.keys(body.components.schemas)).toEqual(
    expect.arrayContaining(["Bar", "Bars", "Trade", "Trades", "Symbols", "Error"]),
  );
});

test("the interactive docs load everything from this server", async () => {
  const { get } = make();
  const page = await (await get("/docs")).text();
  const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(sources).toEqual(["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js"]);
  expect(page).toContain('"/openapi.json"');
  for (const source of sources) {
    const asset = await get(source);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
  }
  expect((await get("/docs/package.json")).status).toBe(404);
});

test("requests are counted by route pattern, method and status", async () => {
  const { get, registry } = make();
  await get("/v1/bars/AAA");
  await get("/v1/bars/BBB");
  await get("/v1/bars/AAA?limit=0");
  const text = await registry.metrics();
  expect(text).toContain('http_requests_total{route="/v1/bars/:symbol",method="GET",status="200"} 2');
  expect(text).toContain('http_requests_total{route="/v1/bars/:symbol",method="GET",status="400"} 1');
  expect(text).toContain('http_request_duration_seconds_count{route="/v1/bars/:symbol",method="GET"} 3');
});
