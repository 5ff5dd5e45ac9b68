import { describe, expect, test } from "bun:test";
import { createHandle, type ModuleSpec, startRuntime } from "../../src/runtime/lifecycle.ts";
import { silentLogger } from "../../src/runtime/logger.ts";

const recordingModule = (name: string, log: string[]) => {
  const { handle, fail } = createHandle(async (reason) => {
    log.push(`stop ${name} (${reason})`);
  });
  const spec: ModuleSpec = {
    name,
    start: async () => {
      log.push(`start ${name}`);
      return handle;
    },
  };
  return { spec, fail, handle };
};

describe("runtime lifecycle", () => {
  test("stops modules in reverse start order, once", async () => {
    const log: string[] = [];
    const modules = ["a", "b", "c"].map((name) => recordingModule(name, log));
    const runtime = await startRuntime(
      modules.map((m) => m.spec),
      silentLogger(),
    );
    await Promise.all([runtime.stop("SIGTERM"), runtime.stop("SIGTERM")]);
    await runtime.done;
    expect(log).toEqual([
      "start a",
      "start b",
      "start c",
      "stop c (SIGTERM)",
      "stop b (SIGTERM)",
      "stop a (SIGTERM)",
    ]);
  });

  test("one module failing stops the others and rejects done", async () => {
    const log: string[] = [];
    const a = recordingModule("a", log);
    const b = recordingModule("b", log);
    const runtime = await startRuntime([a.spec, b.spec], silentLogger());
    a.fail(new Error("socket exploded"));
    await expect(runtime.done).rejects.toThrow("socket exploded");
    expect(log).toContain("stop b (a failed)");
  });

  test("a module that fails to start stops those already started", async () => {
    const log: string[] = [];
    const a = recordingModule("a", log);
    const broken: ModuleSpec = {
      name: "broken",
      start: async () => {
        throw new Error("no port");
      },
    };
    await expect(startRuntime([a.spec, broken], silentLogger())).rejects.toThrow("no port");
    expect(log).toEqual(["start a", "stop a (broken failed to start)"]);
  });

  test("the runtime ends when every module ended by itself", async () => {
    const log: string[] = [];
    const a = recordingModule("a", log);
    const runtime = await startRuntime([a.spec], silentLogger());
    void a.handle.stop("finished input");
    await runtime.done;
    expect(log).toEqual(["start a", "stop a (finished input)"]);
  });
});
