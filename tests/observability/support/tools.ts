import { repoRoot } from "./metrics-doc.ts";

/**
 * The path of a binary of Debian's `prometheus` / `prometheus-alertmanager` packages. Missing binaries
 * fail the test: `scripts/ci-packages.sh` installs them.
 */
export const tool = (name: string): string => {
  const path = Bun.which(name);
  if (path === null) {
    throw new Error(
      `${name} is not installed: run scripts/ci-packages.sh (Debian prometheus, prometheus-alertmanager)`,
    );
  }
  return path;
};

/** Runs a command from the repository root and returns its exit code and combined output. */
export const run = async (command: string[]): Promise<{ code: number; output: string }> => {
  const child = Bun.spawn(command, { cwd: repoRoot, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code, output: stdout + stderr };
};
