import { expect, test } from "bun:test";
import { join } from "node:path";
import { envExample } from "../../scripts/env-example.ts";
import { configOptions } from "../../src/runtime/config/index.ts";

const root = join(import.meta.dir, "../..");

test(".env.example is current: after changing the config schema, run `bun run env-example`", async () => {
  expect(await Bun.file(join(root, ".env.example")).text()).toBe(envExample());
});

test(".env.example names every variable once, commented out, with its default and description", () => {
  const text = envExample();
  for (const option of configOptions) {
    const lines = text.split("\n");
    const at = lines.findIndex((line) => line.startsWith(`# ${option.meta.env}=`));
    expect(at).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith(`# ${option.meta.env}=`))).toHaveLength(1);
    expect(lines[at - 1]).toContain(option.meta.description);
  }
  expect(text).toContain("# PORT=8080\n");
  expect(text).toContain("# ROLES=ingest,processor,writer,api\n");
  expect(text).not.toContain("sandbox");
  expect(text.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"))).toEqual([]);
});
