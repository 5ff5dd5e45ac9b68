import { createReplaySource } from "./replay.ts";
import type { IngestSource, SourceContext, TradeSource } from "./types.ts";
import { createWebSocketSource } from "./websocket/source.ts";

export type { IngestOptions, IngestSource, SourceContext, TradeSource } from "./types.ts";

type Factories = {
  [K in IngestSource["kind"]]: (
    ctx: SourceContext,
    source: Extract<IngestSource, { kind: K }>,
  ) => TradeSource;
};

/** Source backends by kind, chosen once at start. */
const factories: Factories = {
  finnhub: (ctx) =>
    createWebSocketSource(ctx, {
      name: "finnhub",
      url: ctx.options.finnhub.wsUrl,
      tokens: ctx.options.finnhub.apiKeys,
      credential: "FINNHUB_API_KEY",
    }),
  simulator: (ctx, { url, token }) =>
    createWebSocketSource(ctx, { name: "simulator", url, tokens: [token], credential: "SIMULATOR_TOKEN" }),
  replay: (ctx, { files }) => createReplaySource(ctx, files),
};

export const createSource = (ctx: SourceContext, source: IngestSource): TradeSource =>
  (factories[source.kind] as (ctx: SourceContext, source: IngestSource) => TradeSource)(ctx, source);
