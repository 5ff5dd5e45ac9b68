import { type DecodeContext, decodeFinnhubFrame, liveSeq, tradeCount } from "../../decode.ts";
import { FrameDeduper } from "../../frame-dedup.ts";
import { marketOf } from "../../markets.ts";
import { openFrameRecorder } from "../../recorder.ts";
import type { FrameOrigin } from "../../sink.ts";
import type { SourceContext, TradeSource } from "../types.ts";
import { runConnection } from "./connection.ts";
import { type Shard, shardSymbols } from "./shard.ts";

/** A Finnhub-protocol endpoint: Finnhub itself or the simulator. */
export interface WebSocketEndpoint {
  name: "finnhub" | "simulator";
  /** Endpoint without the token. */
  url: string;
  /** One connection per token. */
  tokens: readonly string[];
  /** Variable holding the tokens, named in messages instead of the token. */
  credential: string;
}

const SYMBOL_LIMIT = /too many symbols/i;

/**
 * Live trades over Finnhub's WebSocket protocol: one connection per key, identical frames suppressed,
 * every frame optionally recorded, trades handed to the sink without waiting (a socket cannot pause).
 */
export const createWebSocketSource = (ctx: SourceContext, endpoint: WebSocketEndpoint): TradeSource => {
  const { options, sink, metrics, logger } = ctx;
  const { finnhub } = options;
  const shards = shardSymbols(
    options.ingest.symbols,
    endpoint.tokens,
    finnhub.symbolsPerConnection,
    endpoint.credential,
  );
  const dedup = new FrameDeduper(finnhub.duplicateFrameWindowMs);
  const decodeCtx: DecodeContext = { source: endpoint.name, now: 0, seq: 0, idPrefix: undefined };

  const reportError = (shard: Shard, message: string) => {
    const symbolLimit = SYMBOL_LIMIT.test(message);
    metrics.finnhubErrors.inc({ kind: symbolLimit ? "symbol_limit" : "other" });
    const text = symbolLimit
      ? `${endpoint.name} refused a subscription on connection ${shard.index} ("${message}"): it holds ` +
        `${shard.symbols.length} symbols, more than the plan allows; lower FINNHUB_SYMBOLS_PER_CONNECTION ` +
        "or add keys. The other symbols keep flowing"
      : `${endpoint.name} sent an error on connection ${shard.index}: ${message}`;
    logger.error({ source: endpoint.name, connection: shard.index, finnhubMessage: message }, text);
  };

  const frameHandler = (shard: Shard, record: ((text: string) => void) | undefined) => {
    const origin: FrameOrigin = {
      source: endpoint.name,
      location: `${endpoint.name} connection ${shard.index}`,
    };
    return (text: string, receivedAt: number) => {
      metrics.messagesReceived.inc();
      record?.(text);
      if (!sink.accepting) {
        const trades = tradeCount(text);
        if (trades !== undefined) return sink.dropUnread(trades);
      }
      decodeCtx.now = receivedAt;
      decodeCtx.seq = liveSeq(decodeCtx.seq, receivedAt);
      const frame = decodeFinnhubFrame(text, decodeCtx);
      decodeCtx.seq = frame.nextSeq;
      if (frame.type === "trade" && dedup.isDuplicate(frame.frameId, receivedAt)) {
        metrics.duplicateFrames.inc();
        return;
      }
      if (frame.type === "error") reportError(shard, frame.message ?? "");
      sink.offer(frame, receivedAt, origin);
    };
  };

  const run = async (signal: AbortSignal) => {
    for (const symbol of shards.flatMap((shard) => shard.symbols)) {
      metrics.subscribedSymbols.set({ symbol, market: marketOf(symbol) }, 1);
    }
    const recorder = options.ingest.recordPath ? openFrameRecorder(options.ingest.recordPath) : undefined;
    // One rejected key ends every connection, and the error is raised once all of them stopped.
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    signal.addEventListener("abort", forward, { once: true });
    const backoff = { initialMs: finnhub.reconnectInitialMs, maxMs: finnhub.reconnectMaxMs };
    const runs = shards.map((shard) =>
      runConnection(
        {
          name: endpoint.name,
          url: endpoint.url,
          shard,
          credential: endpoint.credential,
          silenceTimeoutMs: finnhub.silenceTimeoutMs,
          backoff,
          metrics,
          logger,
          onFrame: frameHandler(shard, recorder?.record),
        },
        local.signal,
      ).catch((error: unknown) => {
        local.abort(error);
        throw error;
      }),
    );
    const results = await Promise.allSettled(runs);
    signal.removeEventListener("abort", forward);
    await recorder?.close();
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  };

  return { name: endpoint.name, finite: false, run };
};
