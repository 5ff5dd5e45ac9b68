import { join } from "node:path";
import type { ServedBar } from "../support/golden.ts";

const root = join(import.meta.dir, "../..");

/** `bun src/main.ts ARGS...` as a user runs it, in a child process with `env` on top of ours. */
export const runMain = async (env: Record<string, string>, ...args: string[]) => {
  const child = Bun.spawn([process.execPath, "src/main.ts", ...args], {
    cwd: root,
    env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code, stdout, stderr, output: stdout + stderr };
};

/** `bun src/main.ts replay FILE...` as a user runs it, in a child process with `env` on top of ours. */
export const runReplay = (env: Record<string, string>, ...files: string[]) =>
  runMain(env, "replay", ...files);

/** A trade as `/v1/trades` serves it. */
export interface ApiTrade {
  id: string;
  t: number;
  p: number;
  v: number;
  c: string[];
}

interface Range {
  from: number;
  to: number;
}

/** Every page of a `/v1/...` listing, following `next_cursor`. */
const allPages = async <T>(url: string): Promise<T[]> => {
  const results: T[] = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`);
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { results: T[]; next_cursor: string | null };
    results.push(...page.results);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return results;
};

/** Every trade of `symbol` in the range through `/v1/trades`, in pages of `limit`. */
export const apiTrades = (
  base: string,
  symbol: string,
  { from, to }: Range,
  limit: number,
  sort: "asc" | "desc" = "asc",
) => allPages<ApiTrade>(`${base}/v1/trades/${symbol}?from=${from}&to=${to}&sort=${sort}&limit=${limit}`);

/** Every final 1-minute bar of `symbol` with its start in the range, through `/v1/bars`. */
export const apiBars = (base: string, symbol: string, { from, to }: Range) =>
  allPages<ServedBar>(`${base}/v1/bars/${symbol}?from=${from}&to=${to}&limit=5000`);

/** Polls an asynchronous condition every 250 ms (each poll is an HTTP request) until a deadline. */
export const waitFor = async (what: string, timeoutMs: number, condition: () => Promise<boolean>) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(250);
  }
};

/** The sum of the series of a metric on a process's `/metrics` (those whose labels contain `labels`). */
export const counter = async (base: string, name: string, labels = "") => {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    if (line.includes(labels)) sum += Number(line.split(" ").at(-1));
  }
  return sum;
};

/** `/readyz` of a process: its status and each dependency's state. */
export const readiness = async (base: string) => {
  const response = await fetch(`${base}/readyz`);
  const body = (await response.json()) as {
    ready: boolean;
    dependencies: Record<string, { ok: boolean; detail: string } | undefined>;
  };
  return { status: response.status, body };
};
