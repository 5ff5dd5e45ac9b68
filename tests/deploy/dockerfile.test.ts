import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { commands, isCommand } from "../../src/cli/index.ts";
import { createOpsApp } from "../../src/modules/api/index.ts";
import { configOptions, loadConfig } from "../../src/runtime/config/index.ts";
import { HealthChecks } from "../../src/runtime/health.ts";
import { silentLogger } from "../../src/runtime/logger.ts";
import { createRegistry } from "../../src/runtime/metrics/index.ts";
import { parseDockerfile, readText, root } from "./support.ts";

const instructions = parseDockerfile(await readText("Dockerfile"));
const all = (keyword: string) => instructions.filter((instruction) => instruction.keyword === keyword);
const last = (keyword: string) => all(keyword).at(-1)!;
const pkg = JSON.parse(await readText("package.json")) as {
  dependencies: Record<string, string>;
  engines: { bun: string };
};

/** The runtime stage's ENV, as the container starts with it. */
const imageEnv = Object.fromEntries(
  all("ENV")
    .flatMap((env) => env.args.split(/\s+/))
    .map((pair) => pair.split("=") as [string, string]),
);

/** Variables of the runtime rather than of tickflow's config. */
const runtimeVariables = new Set(["NODE_ENV", "NODE_NO_WARNINGS"]);

test("builds on the official Bun image, at a version package.json's engines accept", () => {
  const version = last("ARG").args.match(/^BUN_VERSION=(\d+\.\d+\.\d+)$/)?.[1];
  expect(version).toBeDefined();
  expect(Bun.semver.satisfies(version!, pkg.engines.bun)).toBe(true);
  for (const from of all("FROM")) expect(from.args).toMatch(/^oven\/bun:\$\{BUN_VERSION\}-/);
});

/** Packages that code under src/ loads at run time (type-only imports need nothing at run time). */
const runtimePackages = async () => {
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\b)[^'"]*?\sfrom\s+"([^"]+)"/gm,
    /^\s*import\s+"([^"]+)"/gm,
    /import\(\s*"([^"]+)"\s*\)/g,
    /resolveSync\(\s*"([^"]+)"/g,
  ];
  const found = new Set<string>();
  for await (const path of new Bun.Glob("src/**/*.ts").scan(root)) {
    const text = await readText(path);
    for (const pattern of patterns) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (/^(\.|node:|bun:|bun$)/.test(specifier!)) continue;
        const parts = specifier!.split("/");
        found.add(specifier!.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
      }
    }
  }
  return found;
};

test("installs production dependencies only, as locked, and they hold every package src/ loads", async () => {
  const installs = all("RUN").filter((run) => run.args.includes("bun install"));
  expect(installs).toHaveLength(1);
  expect(installs[0]!.args).toContain("--production");
  expect(installs[0]!.args).toContain("--frozen-lockfile");
  const used = await runtimePackages();
  // The live page is bundled when the api starts, from these.
  expect(used).toContain("lightweight-charts");
  expect(used).toContain("@grafana/faro-web-sdk");
  for (const name of used)
    expect({ name, production: name in pkg.dependencies }).toEqual({ name, production: true });
});

test("copies what exists and what .dockerignore lets into the build context", async () => {
  const ignore = (await readText(".dockerignore"))
    .split("\n")
    .filter((line) => line && !line.startsWith("#"));
  const included = (path: string) => {
    let keep = true;
    for (const rule of ignore) {
      const negated = rule.startsWith("!");
      const pattern = rule.replace(/^!/, "").replace(/\/$/, "");
      if (pattern === "*" || path === pattern || path.startsWith(`${pattern}/`)) keep = negated;
    }
    return keep;
  };
  const sources = all("COPY")
    .filter((copy) => !copy.args.startsWith("--from"))
    .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));
  expect(sources).toEqual(expect.arrayContaining(["package.json", "bun.lock", "src", "migrations"]));
  for (const source of sources) {
    expect({ source, exists: existsSync(join(root, source)), included: included(source) }).toEqual({
      source,
      exists: true,
      included: true,
    });
  }
});

test("its environment is tickflow configuration the schema accepts, serving on the exposed port", () => {
  const known = new Set(configOptions.map((option) => option.meta.env));
  for (const name of Object.keys(imageEnv)) {
    expect({ name, known: known.has(name) || runtimeVariables.has(name) }).toEqual({ name, known: true });
  }
  const { config } = loadConfig([], imageEnv);
  expect(last("EXPOSE").args).toBe(String(config.api.port));
  expect(last("VOLUME").exec).toEqual([dirname(config.sqlite.path)]);
  expect(imageEnv.NODE_NO_WARNINGS).toBe("1");
});

test("runs as an unprivileged user", () => {
  expect(last("USER").args).not.toMatch(/^(root|0)(:|$)/);
});

test("starts `bun src/main.ts run` in exec form, so bun itself gets SIGTERM and drains", () => {
  const [bun, main, command] = [...last("ENTRYPOINT").exec!, ...last("CMD").exec!];
  expect(bun).toBe("bun");
  expect(existsSync(join(root, main!))).toBe(true);
  expect(isCommand(command!)).toBe(true);
  expect(commands[command as keyof typeof commands]).toBe(commands.run);
  expect(last("STOPSIGNAL").args).toBe("SIGTERM");
});

const runHealthcheck = async (port: number) => {
  const child = Bun.spawn([process.execPath, ...last("HEALTHCHECK").exec!.slice(1)], {
    env: { ...process.env, ...imageEnv, PORT: String(port) },
    stdout: "ignore",
    stderr: "ignore",
  });
  return child.exited;
};

test("HEALTHCHECK passes while the process serves /healthz and fails once it does not", async () => {
  expect(last("HEALTHCHECK").exec![0]).toBe("bun");
  const app = createOpsApp({
    health: new HealthChecks(),
    registry: createRegistry(),
    logger: silentLogger(),
  });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => app.fetch(request) });
  const port = server.port!;
  try {
    expect(await runHealthcheck(port)).toBe(0);
  } finally {
    await server.stop(true);
  }
  expect(await runHealthcheck(port)).toBe(1);
});
