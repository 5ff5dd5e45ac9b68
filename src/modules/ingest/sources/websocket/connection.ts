import { TickflowError } from "../../../../runtime/errors.ts";
import type { Logger } from "../../../../runtime/logger.ts";
import { type BackoffPolicy, backoffDelay, sleep } from "../../../../runtime/retry.ts";
import type { IngestMetrics } from "../../metrics.ts";
import { runSession, type SessionEnd } from "./session.ts";
import type { Shard } from "./shard.ts";

export interface ConnectionOptions {
  /** "finnhub" or "simulator", for messages. */
  name: string;
  /** Endpoint without the token. */
  url: string;
  shard: Shard;
  /** Variable that holds the keys, named in the rejected-key message (the key itself never is). */
  credential: string;
  silenceTimeoutMs: number;
  backoff: BackoffPolicy;
  metrics: IngestMetrics;
  logger: Logger;
  onFrame(text: string, receivedAt: number): void;
}

const REJECTED_STATUSES = new Set([401, 403]);

const withToken = (url: string, token: string) => {
  const target = new URL(url);
  target.searchParams.set("token", token);
  return target.toString();
};

const reconnectReason = (end: Exclude<SessionEnd, { kind: "stopped" }>) =>
  end.kind === "failed" ? "error" : end.kind;

const describeEnd = (end: Exclude<SessionEnd, { kind: "stopped" }>, silenceTimeoutMs: number) => {
  if (end.kind === "closed") return `server closed the connection (code ${end.code})`;
  if (end.kind === "silence") return `no frame or ping for ${silenceTimeoutMs} ms`;
  return `connection failed (${end.detail})`;
};

/**
 * Keeps one shard connected until `signal` aborts: subscribes every symbol of the shard on each (re)connect,
 * reconnects with capped exponential backoff and jitter, and gives up only when the key is rejected.
 */
export const runConnection = async (options: ConnectionOptions, signal: AbortSignal): Promise<void> => {
  const { shard, metrics, logger } = options;
  const connection = String(shard.index);
  const log = logger.child({ source: options.name, connection: shard.index });
  const greeting = shard.symbols.map((symbol) => JSON.stringify({ type: "subscribe", symbol }));
  const url = withToken(options.url, shard.token);
  metrics.connected.set({ connection }, 0);
  for (let attempt = 0; !signal.aborted; ) {
    const { end, received } = await runSession(
      {
        url,
        greeting,
        silenceTimeoutMs: options.silenceTimeoutMs,
        onFrame: options.onFrame,
        onOpen: () => {
          metrics.connected.set({ connection }, 1);
          log.info(
            { symbols: shard.symbols.length },
            `${options.name} connected; subscribed ${shard.symbols.length} symbols`,
          );
        },
      },
      signal,
    );
    metrics.connected.set({ connection }, 0);
    if (end.kind === "stopped") return;
    if (end.kind === "failed" && end.status !== undefined && REJECTED_STATUSES.has(end.status)) {
      throw new TickflowError(
        "FINNHUB_AUTH_REJECTED",
        `${options.name} rejected API key #${shard.keyNumber} of ${options.credential} (HTTP ${end.status}): ` +
          `the key is wrong, revoked or not allowed to stream; fix ${options.credential}`,
        { details: { connection: shard.index, status: end.status } },
      );
    }
    if (received) attempt = 0;
    const delay = Math.round(backoffDelay(options.backoff, attempt++));
    metrics.reconnects.inc({ reason: reconnectReason(end) });
    log.warn(
      { reason: end.kind, delayMs: delay, attempt },
      `${options.name}: ${describeEnd(end, options.silenceTimeoutMs)}; reconnecting in ${delay} ms`,
    );
    await sleep(delay, signal).catch(() => {});
  }
};
