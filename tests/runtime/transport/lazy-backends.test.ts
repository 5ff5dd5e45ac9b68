import { expect, test } from "bun:test";

test("a process on the memory transport never loads kafkajs", async () => {
  const script = `
    const { createTransport } = await import("./src/runtime/transport/index.ts");
    const { loadConfig } = await import("./src/runtime/config/index.ts");
    const { silentLogger } = await import("./src/runtime/logger.ts");
    const { createRegistry } = await import("./src/runtime/metrics/index.ts");
    const config = loadConfig([], { TRANSPORT: "memory" }).config;
    const transport = await createTransport({ config, logger: silentLogger(), registry: createRegistry() });
    await transport.close();
    console.log(JSON.stringify(Object.keys(require.cache).filter((path) => path.includes("kafka"))));
  `;
  const child = Bun.spawn(["bun", "-e", script], { cwd: `${import.meta.dir}/../../..`, stdout: "pipe" });
  const output = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  expect(JSON.parse(output)).toEqual([]);
});
