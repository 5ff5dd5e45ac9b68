/** How one WebSocket session ended. */
export type SessionEnd =
  /** The server closed an open connection, or the connection dropped. */
  | { kind: "closed"; code: number }
  /** Neither a frame nor a ping arrived within the silence timeout (the watchdog fired). */
  | { kind: "silence" }
  /** The handshake failed: refused connection, DNS, TLS, or an HTTP status instead of 101. */
  | { kind: "failed"; status: number | undefined; detail: string }
  /** The signal aborted. */
  | { kind: "stopped" };

export interface SessionOptions {
  url: string;
  /** Sent once the connection is open (the subscriptions). */
  greeting: readonly string[];
  silenceTimeoutMs: number;
  onOpen(): void;
  /** Every text frame, with its arrival time (epoch ms). */
  onFrame(text: string, receivedAt: number): void;
}

export interface SessionResult {
  end: SessionEnd;
  /** True when at least one frame arrived: the connection worked, so backoff starts over. */
  received: boolean;
}

// Bun reports a refused upgrade as "... failed: Expected 101 status code: 401"; the message also holds the
// URL with the token, so only the status is kept.
const STATUS = /Expected 101 status code: (\d{3})/;

const describeFailure = (event: Event) => {
  const error = (event as ErrorEvent).error as { code?: unknown } | undefined;
  const status = STATUS.exec((event as ErrorEvent).message ?? "")?.[1];
  const code = typeof error?.code === "string" ? error.code : undefined;
  return {
    status: status === undefined ? undefined : Number(status),
    detail: status ? `HTTP ${status}` : (code ?? "connection failed"),
  };
};

/**
 * One connection from handshake to close. The silence watchdog runs from the first moment, so a handshake
 * that hangs is caught like a stalled stream. Never rejects; the caller decides what an end means.
 */
export const runSession = (options: SessionOptions, signal: AbortSignal): Promise<SessionResult> => {
  const { promise, resolve } = Promise.withResolvers<SessionResult>();
  const decoder = new TextDecoder();
  const ws = new WebSocket(options.url);
  ws.binaryType = "arraybuffer";
  let received = false;
  let opened = false;
  let lastActivity = Date.now();
  let failure: { status: number | undefined; detail: string } | undefined;
  let watchdog: Timer | undefined;

  const finish = (end: SessionEnd) => {
    clearTimeout(watchdog);
    signal.removeEventListener("abort", stop);
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
      try {
        ws.close(1000, end.kind);
      } catch {
        // Closing a socket that is still connecting may throw; it is abandoned either way.
      }
    }
    resolve({ end, received });
  };
  function stop() {
    finish({ kind: "stopped" });
  }
  const check = () => {
    const idle = Date.now() - lastActivity;
    if (idle >= options.silenceTimeoutMs) finish({ kind: "silence" });
    else watchdog = setTimeout(check, options.silenceTimeoutMs - idle);
  };

  ws.onopen = () => {
    opened = true;
    lastActivity = Date.now();
    for (const message of options.greeting) ws.send(message);
    options.onOpen();
  };
  ws.onmessage = (event) => {
    const now = Date.now();
    lastActivity = now;
    received = true;
    const data = event.data as string | ArrayBuffer;
    options.onFrame(typeof data === "string" ? data : decoder.decode(data), now);
  };
  ws.onerror = (event) => {
    if (!opened) failure = describeFailure(event);
  };
  ws.onclose = (event) => {
    if (opened) finish({ kind: "closed", code: event.code });
    else
      finish({
        kind: "failed",
        ...(failure ?? { status: undefined, detail: `closed with code ${event.code}` }),
      });
  };

  if (signal.aborted) stop();
  else {
    signal.addEventListener("abort", stop, { once: true });
    watchdog = setTimeout(check, options.silenceTimeoutMs);
  }
  return promise;
};
