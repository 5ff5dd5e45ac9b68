import { afterEach, expect, test } from "bun:test";
import { connect as connectTcp } from "node:net";
import type { StreamEvent } from "../../../src/modules/api/index.ts";
import { createOpsApp, startHttpServer } from "../../../src/modules/api/index.ts";
import { HealthChecks } from "../../../src/runtime/health.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { waitFor } from "../../runtime/transport/contract.ts";
import { SseReader } from "./sse.ts";
import { type ApiFixture, createApiFixture, trade, tradeEvent } from "./support.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The ops app with the api app mounted, as a process with the api role serves them, on a free port. */
const serve = async (fixture: ApiFixture, graceMs?: number) => {
  cleanups.push(() => fixture.cleanup());
  const app = createOpsApp({
    health: new HealthChecks(),
    registry: fixture.registry,
    logger: silentLogger(),
  });
  app.route("/", fixture.app);
  const server = await startHttpServer({ host: "127.0.0.1", port: 0, app, logger: silentLogger(), graceMs });
  cleanups.push(() => server.stop());
  return { server, base: `http://127.0.0.1:${server.port}` };
};

const bigEvent = (n: number): StreamEvent =>
  tradeEvent({ ...trade("BIG", 1_700_000_000_000 + n, 1), id: `big-${n}:${"x".repeat(4_000)}` });

test("one port serves ops and api routes; unknown routes are 404 in the error shape", async () => {
  const { server, base } = await serve(createApiFixture());
  expect(server.port).toBeGreaterThan(0);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await fetch(`${base}/v1/symbols`)).status).toBe(200);
  const missing = await fetch(`${base}/v2/anything`);
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
});

test("a client that disconnects from the stream is dropped from the hub", async () => {
  const fixture = createApiFixture();
  const { base } = await serve(fixture);
  const abort = new AbortController();
  const reader = new SseReader(await fetch(`${base}/v1/stream?symbols=NET`, { signal: abort.signal }));
  fixture.hub.publish([tradeEvent(trade("NET", 1_700_000_000_000, 1))]);
  await reader.until((events) => events.length === 1);
  expect(fixture.hub.clients).toBe(1);
  abort.abort();
  await waitFor(() => fixture.hub.clients === 0, 5_000, "the hub to drop the client");
});

test("a client that stops reading its socket is disconnected instead of buffering without bound", async () => {
  const fixture = createApiFixture({ streamClientQueue: 100 });
  const { base } = await serve(fixture);
  const socket = connectTcp({ host: "127.0.0.1", port: Number(new URL(base).port) });
  cleanups.push(async () => {
    socket.destroy();
  });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  socket.write("GET /v1/stream?symbols=BIG HTTP/1.1\r\nHost: localhost\r\n\r\n");
  socket.pause();
  await waitFor(() => fixture.hub.clients === 1, 5_000, "the client to connect");
  // 4 KB events: the kernel's socket buffers fill, then the server's writes wait, then the queue fills.
  let sent = 0;
  await waitFor(
    () => {
      fixture.hub.publish(Array.from({ length: 50 }, () => bigEvent(++sent)));
      return fixture.hub.clients === 0;
    },
    20_000,
    "the slow client to be disconnected",
  );
  expect(sent).toBeLessThan(100_000);
  expect(await fixture.registry.metrics()).toContain("sse_slow_clients_disconnected_total 1");
});

test("stop lets requests finish, and cuts streams still open after the grace period", async () => {
  const fixture = createApiFixture();
  const { server, base } = await serve(fixture, 100);
  const reader = new SseReader(await fetch(`${base}/v1/stream?symbols=AAA`));
  await reader.until(() => reader.lastEventId !== undefined);
  await server.stop();
  await reader.end().catch(() => {});
  expect(
    await fetch(`${base}/healthz`).then(
      () => "answered",
      () => "refused",
    ),
  ).toBe("refused");
});
