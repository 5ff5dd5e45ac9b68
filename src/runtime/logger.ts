import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { scrubSecrets } from "./config/index.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  format: "auto" | "json" | "pretty";
  /** Values that must never appear in a log line, whatever field or message carries them. */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/** Wraps a destination so that no line leaves the process with a secret in it. */
const scrubbing = (inner: DestinationStream, secrets: readonly string[]): DestinationStream => ({
  write: (line: string) => inner.write(scrubSecrets(line, secrets)),
});

/**
 * Structured JSON logs (one object per line) for machines, pretty single lines for a terminal.
 * Secrets are scrubbed from the serialized line, so they cannot leak through error messages or URLs.
 */
export const createLogger = (options: LoggerOptions): Logger => {
  const usePretty =
    options.format === "pretty" || (options.format === "auto" && process.stdout.isTTY === true);
  const target =
    options.destination ??
    (usePretty
      ? pretty({ sync: true, colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" })
      : pino.destination({ dest: 1, sync: false }));
  // A secret inside a JSON string is escaped there; scrub both spellings.
  const secrets = (options.secrets ?? []).flatMap((secret) => [JSON.stringify(secret).slice(1, -1), secret]);
  return pino(
    { level: options.level, base: { service: "tickflow" } },
    secrets.length > 0 ? scrubbing(target, secrets) : target,
  );
};

/** A logger that drops everything, for tests and tools that do not want output. */
export const silentLogger = (): Logger => pino({ level: "silent" });
