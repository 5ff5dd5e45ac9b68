/**
 * `NAME=value` command-line arguments as environment variables for a child process. The value is
 * everything after the first `=`, so it may hold more of them (e.g. `NODE_OPTIONS=--a=b`).
 */
export const envArgs = (args: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    args.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`expected NAME=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
