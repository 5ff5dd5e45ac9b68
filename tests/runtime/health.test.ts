import { expect, test } from "bun:test";
import { HealthChecks } from "../../src/runtime/health.ts";

test("ready only when every dependency is ok; a throwing check counts as down", async () => {
  const checks = new HealthChecks();
  checks.register("transport", async () => ({ ok: true, detail: "in-process" }));
  expect((await checks.run()).ready).toBe(true);
  checks.register("store", async () => {
    throw new Error("database is locked");
  });
  const state = await checks.run();
  expect(state.ready).toBe(false);
  expect(state.dependencies.store).toEqual({ ok: false, detail: "database is locked" });
  expect(state.dependencies.transport?.ok).toBe(true);
});
