import { join } from "node:path";
import { parse } from "yaml";

export const root = join(import.meta.dir, "../..");

export const readText = (path: string) => Bun.file(join(root, path)).text();

/** The subset of a compose service these tests read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  container_name?: string;
  environment?: Record<string, unknown>;
  ports?: (string | { target: number; published?: string | number })[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Compose's merge of an override file for the keys these files use: maps merge, anything else is replaced. */
const merge = (base: unknown, override: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = merge(base[key], value);
  return merged;
};

const variable = /\$\{(\w+)(?::?-([^}]*))?\}/g;

/** Every `${NAME}` or `${NAME:-default}` of a compose file. */
export const interpolatedNames = (text: string) =>
  new Set([...text.matchAll(variable)].map((match) => match[1]!));

/** Compose's interpolation with no variable set: each `${NAME:-default}` becomes its default. */
const interpolate = (text: string) =>
  text.replace(variable, (_, _name, fallback: string | undefined) => fallback ?? "");

/** The compose files, interpolated with nothing set, parsed (merge keys resolved) and merged in order. */
export const readCompose = async (...paths: string[]): Promise<ComposeFile> => {
  let merged: unknown = {};
  for (const path of paths) merged = merge(merged, parse(interpolate(await readText(path)), { merge: true }));
  return merged as ComposeFile;
};

/**
 * A service's environment as its container gets it with nothing set on the host: a variable without a
 * value (passed on from .env or the shell) is absent; numbers become strings.
 */
export const containerEnv = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.environment ?? {})
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );

/** Bind mounts `./source:target[:ro]` of a service. */
export const bindMounts = (service: ComposeService) =>
  (service.volumes ?? [])
    .filter((volume) => volume.startsWith("./"))
    .map((volume) => {
      const [source, target] = volume.split(":");
      return { source: source!, target: target! };
    });

export interface Instruction {
  keyword: string;
  /** The arguments as written (continuations joined). */
  args: string;
  /** The arguments of the exec (JSON array) form, when written so. */
  exec?: string[];
}

/** The instructions of a Dockerfile: comments dropped, `\` continuations joined. */
export const parseDockerfile = (text: string): Instruction[] => {
  const logical = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  return logical
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const keyword = line.split(/\s/, 1)[0]!;
      const args = line.slice(keyword.length).trim();
      // HEALTHCHECK's options and CMD come before its command.
      const command = args.replace(/^(--\S+\s+)+/, "").replace(/^CMD\s+/, "");
      const exec = command.startsWith("[") ? (JSON.parse(command) as string[]) : undefined;
      return { keyword: keyword.toUpperCase(), args, ...(exec ? { exec } : {}) };
    });
};
