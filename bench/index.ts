/**
 * `bun run bench [name...]`: runs `bench/<name>.bench.ts` (every one when no name is given), each in a fresh
 * process so one benchmark's heap and JIT state cannot skew the next, and rewrites its section of
 * docs/BENCHMARKS.md.
 */
import { basename, join } from "node:path";
import { describeMachine } from "./lib/machine.ts";
import { upsertSection } from "./lib/report.ts";
import type { Benchmark } from "./lib/types.ts";

const benchDir = import.meta.dir;
const reportPath = join(benchDir, "../docs/BENCHMARKS.md");
const SUFFIX = ".bench.ts";

/** Child mode: run one file and print its result as the last line of stdout. */
const runChild = async (file: string) => {
  const { benchmark } = (await import(file)) as { benchmark: Benchmark };
  const body = await benchmark.run();
  process.stdout.write(`${JSON.stringify({ title: benchmark.title, body })}\n`);
};

const runParent = async (names: string[]) => {
  const all = [...new Bun.Glob(`*${SUFFIX}`).scanSync(benchDir)].map((file) => basename(file, SUFFIX)).sort();
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(", ")}; have ${all.join(", ")}`);
  const command = ["bun run bench", ...names].join(" ");
  for (const name of names.length > 0 ? names : all) {
    console.error(`bench: ${name}`);
    const machine = await describeMachine();
    const child = Bun.spawn(["bun", import.meta.path, "--child", join(benchDir, `${name}${SUFFIX}`)], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const output = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`benchmark ${name} failed`);
    const { title, body } = JSON.parse(output.trim().split("\n").at(-1)!) as { title: string; body: string };
    const date = new Date().toISOString().slice(0, 16).replace("T", " ");
    const current = (await Bun.file(reportPath).exists()) ? await Bun.file(reportPath).text() : "";
    await Bun.write(
      reportPath,
      upsertSection(current, { name, title, command, machine, date: `${date} UTC`, body }),
    );
    console.error(body);
  }
};

const [flag, file, ...rest] = process.argv.slice(2);
if (flag === "--child" && file) await runChild(file);
else await runParent([flag, file, ...rest].filter((arg): arg is string => arg !== undefined));
