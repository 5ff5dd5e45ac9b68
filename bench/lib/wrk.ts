/**
 * wrk, the HTTP load generator (a separate process, so load generation does not share the event loop of
 * the server): Debian/Ubuntu `apt-get install wrk`, macOS `brew install wrk`.
 */
export interface WrkOptions {
  url: string;
  /** Open connections (each keeps one request in flight). */
  connections: number;
  threads: number;
  seconds: number;
}

export interface WrkResult {
  requestsPerSecond: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Non-2xx/3xx responses and socket errors: a valid run has none. */
  errors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, m: 60_000 };

const duration = (text: string, label: string) => {
  const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(text);
  if (!match) throw new Error(`wrk printed no ${label}th percentile:\n${text}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
};

/** Fails with how to install wrk when it is missing. */
export const requireWrk = () => {
  const path = Bun.which("wrk");
  if (!path)
    throw new Error("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`");
  return path;
};

/** Runs wrk with `--latency` and parses its report. */
export const runWrk = async (options: WrkOptions): Promise<WrkResult> => {
  const command = [
    requireWrk(),
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    options.url,
  ];
  const child = Bun.spawn(command, { stdout: "pipe", stderr: "pipe" });
  const [text, errorText, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`wrk failed (${code}): ${errorText}${text}`);
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  if (!rate) throw new Error(`wrk printed no request rate:\n${text}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requestsPerSecond: Number(rate[1]),
    p50: duration(text, "50"),
    p99: duration(text, "99"),
    errors: non2xx + socketErrors,
  };
};
