import { checkFinnhubTrade, type RejectionReason, type Trade } from "../contracts/index.ts";

/**
 * Per-frame inputs of `decodeFinnhubFrame`. A source keeps one object and updates it before each frame,
 * so the hot path allocates nothing for it.
 */
export interface DecodeContext {
  /** `source` of every trade: "finnhub", "simulator", "replay:<file>". */
  source: string;
  /** Epoch ms written as `processed_at`. */
  now: number;
  /** `seq` of the frame's first trade; trade `i` of the frame gets `seq + i`. */
  seq: number;
  /**
   * Prefix of the frame's trade ids (`<prefix>:<index>`). Replay passes file identity + record position;
   * live sources leave it undefined and the hash of the frame's bytes is used (DESIGN section 3).
   */
  idPrefix?: string | undefined;
}

/** A rejected frame or trade, with what the dead letter needs. */
export interface Rejection {
  reason: RejectionReason;
  /** Position of the trade in the frame; -1 when the whole frame was rejected. */
  index: number;
  /** The original payload: the frame text, or the rejected trade as JSON. */
  payload: string;
}

export interface DecodedFrame {
  type: "trade" | "ping" | "error" | "invalid";
  /** Valid, enriched trades in frame order. */
  trades: Trade[];
  rejections: Rejection[];
  /** The id prefix of the frame's trades (empty for frames without trades); identical frames share it. */
  frameId: string;
  /** `msg` of an error frame. */
  message: string | undefined;
  /** `seq` of the next frame's first trade. */
  nextSeq: number;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const TRADE_TYPE = '"type":"trade"';

/** Finnhub sends `c: null` for most venues; one shared empty list spares an allocation per trade. */
const NO_CONDITIONS = Object.freeze([]) as unknown as string[];

/** Hash of a frame's bytes as hex: the id prefix of live trades, and the key of duplicate suppression. */
export const frameHash = (text: string): string => Bun.hash(text).toString(16).padStart(16, "0");

/** `seq` of a live frame: monotonic within the process and, being clock-based, across restarts. */
export const liveSeq = (previousNext: number, nowMs: number): number => Math.max(previousNext, nowMs * 1000);

/** A frame rejected as a whole, its text kept as the dead letter's payload. */
export const rejectFrame = (reason: RejectionReason, text: string, ctx: DecodeContext): DecodedFrame => ({
  type: "invalid",
  trades: [],
  rejections: [{ reason, index: -1, payload: text }],
  frameId: "",
  message: undefined,
  nextSeq: ctx.seq,
});

const control = (type: "ping" | "error", message: string | undefined, ctx: DecodeContext): DecodedFrame => ({
  type,
  trades: [],
  rejections: [],
  frameId: "",
  message,
  nextSeq: ctx.seq,
});

/**
 * Validates and enriches the trades of one frame (DESIGN section 2): valid ones become `Trade`s with ids
 * `<prefix>:<index>` and `seq + index`; invalid ones become rejections, without stopping the others.
 */
export const decodeTrades = (items: readonly unknown[], prefix: string, ctx: DecodeContext): DecodedFrame => {
  const trades: Trade[] = [];
  const rejections: Rejection[] = [];
  const { source, now, seq } = ctx;
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    const reason = checkFinnhubTrade(raw);
    if (reason !== null) {
      rejections.push({ reason, index: i, payload: String(JSON.stringify(raw)) });
      continue;
    }
    const { s, p, t, v, c } = raw as { s: string; p: number; t: number; v: number; c?: string[] | null };
    trades.push({
      id: `${prefix}:${i}`,
      symbol: s.trim(),
      price: p,
      timestamp: t,
      volume: v,
      conditions: c ?? NO_CONDITIONS,
      processed_at: now,
      source,
      seq: seq + i,
    });
  }
  return {
    type: "trade",
    trades,
    rejections,
    frameId: prefix,
    message: undefined,
    nextSeq: seq + items.length,
  };
};

/**
 * The number of trades of a trade frame (valid or not), undefined for any other frame, found without
 * parsing it: it counts the frames dropped unread under overload, which must cost next to nothing (a
 * JSON.parse per dropped frame took a third of a core when the simulator flooded the pipeline). A trade
 * frame is one JSON object saying `"type":"trade"`, compact as Finnhub writes it; its trades are the
 * objects inside it (Finnhub's trades are flat objects whose strings hold no braces). Anything else is
 * left to the decoder.
 */
export const tradeCount = (text: string): number | undefined => {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(last) !== CLOSE_BRACE) return undefined;
  if (!text.includes(TRADE_TYPE)) return undefined;
  let objects = 0;
  for (let at = text.indexOf("{", 1); at !== -1 && at < last; at = text.indexOf("{", at + 1)) objects++;
  return objects;
};

/**
 * Parses one Finnhub WebSocket frame and returns its valid trades, its rejections (reason + original
 * payload) and ping/error information. Pure apart from reading `ctx`; the ingest hot path.
 */
export const decodeFinnhubFrame = (text: string, ctx: DecodeContext): DecodedFrame => {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return rejectFrame("not_json", text, ctx);
  }
  if (typeof frame !== "object" || frame === null) return rejectFrame("frame_invalid", text, ctx);
  const { type, data, msg } = frame as { type?: unknown; data?: unknown; msg?: unknown };
  if (type === "trade" && Array.isArray(data))
    return decodeTrades(data, ctx.idPrefix ?? frameHash(text), ctx);
  if (type === "ping") return control("ping", undefined, ctx);
  if (type === "error" && typeof msg === "string") return control("error", msg, ctx);
  return rejectFrame("frame_invalid", text, ctx);
};
