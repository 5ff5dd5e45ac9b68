import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTickflowProcess } from "../support/dev-process.ts";
import { runMain } from "./support.ts";

const dir = mkdtempSync(join(tmpdir(), "tickflow-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Only the final line on stderr: the pipeline's own logs are silenced. */
const quiet = { LOG_LEVEL: "silent", SQLITE_PATH: join(dir, "tickflow.db") };

test("a mistyped command or a stray argument is a usage error, not a pipeline started", async () => {
  const typo = await runMain(quiet, "migrat");
  expect(typo.code).toBe(2);
  expect(typo.stderr).toBe("tickflow: unknown command: migrat (see --help)\n");
  const extra = await runMain(quiet, "migrate", "now");
  expect(extra.code).toBe(2);
  expect(extra.stderr).toBe("tickflow: migrate takes no arguments: now (see --help)\n");
});

test("a replay of a missing file fails before anything starts", async () => {
  const missing = join(dir, "missing.ndjson");
  const { code, output } = await runMain({ ...quiet, LOG_LEVEL: "info" }, "replay", missing);
  expect(code).toBe(2);
  expect(output).toContain(`tickflow: replay file not found: ${missing}\n`);
  expect(output).not.toContain("started");
});

test("a store that cannot be opened names its file, without a stack trace", async () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const path = join(file, "tickflow.db");
  const { code, stderr } = await runMain({ ...quiet, SQLITE_PATH: path, PORT: "0" });
  expect(code).toBe(1);
  expect(stderr).toStartWith(`tickflow: SQLite open of ${path} failed: `);
  expect(stderr.trim().split("\n")).toHaveLength(1);
});

test("an api process whose Kafka is down serves health, readiness and what is stored while it waits", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const broker = `127.0.0.1:${(closed.address() as { port: number }).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const api = await startTickflowProcess({
    env: {
      ...quiet,
      LOG_LEVEL: "info",
      ROLES: "api",
      TRANSPORT: "kafka",
      KAFKA_BROKERS: broker,
      HOST: "127.0.0.1",
      PORT: "0",
    },
    ready: /http server listening on (127\.0\.0\.1:\d+)/,
    toUrl: (address) => `http://${address}`,
  });
  try {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const readiness = await fetch(`${api.url}/readyz`);
    expect(readiness.status).toBe(503);
    const { dependencies } = (await readiness.json()) as {
      dependencies: Record<string, { ok: boolean; detail: string }>;
    };
    expect(dependencies.transport).toEqual({
      ok: false,
      detail: expect.stringContaining("brokers unreachable"),
    });
    expect(dependencies.store?.ok).toBe(true);
    expect((await fetch(`${api.url}/v1/symbols`)).status).toBe(200);
  } finally {
    await api.stop();
  }
});

test("a port already taken names the address to change", async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const { port } = taken.address() as { port: number };
  try {
    const { code, stderr } = await runMain({ ...quiet, HOST: "127.0.0.1", PORT: String(port) });
    expect(code).toBe(2);
    expect(stderr).toStartWith(`tickflow: cannot listen on 127.0.0.1:${port} (HOST, PORT): `);
  } finally {
    taken.close();
  }
});
