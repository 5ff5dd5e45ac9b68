import type { ServerWebSocket } from "bun";
import type { Config } from "../../runtime/config/index.ts";
import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";
import { tradeClock } from "./clock.ts";
import { startEmitter } from "./emitter.ts";
import { buildFrames } from "./frames.ts";
import { Market, type WireTrade } from "./market.ts";
import { createRandom } from "./random.ts";

export type SimulatorOptions = Config["simulator"];

export interface Simulator {
  /** WebSocket URL without the token, e.g. `ws://127.0.0.1:41234`. */
  url: string;
  /** The token the simulator accepts (`?token=`). */
  token: string;
  handle: ModuleHandle;
  /** Trades sent so far, summed over clients (a frame the duplicate fault repeats counts once). */
  readonly tradesSent: number;
  /** Stops sending trades; connections and pings stay (tests compare what was sent with what arrived). */
  stopTrades(): void;
}

interface Client {
  id: number;
  symbols: Set<string>;
  /** Sorted subscriptions; clients with equal ones get identical frames, as redundant Finnhub feeds do. */
  signature: string;
  stalled: boolean;
  timers: Timer[];
}

type Socket = ServerWebSocket<Client>;

const PING = JSON.stringify({ type: "ping" });
const TOO_MANY = JSON.stringify({ type: "error", msg: "Subscribing to too many symbols" });
/** Share of trades repeated exactly (same symbol, price, time, volume): legitimate on real tapes. */
const REPEAT_RATIO = 0.05;
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * A local server speaking Finnhub's WebSocket protocol with switchable faults (see the `simulator` config
 * section). `bun run dev` runs it when no Finnhub key is set; tests start it on port 0.
 */
export const startSimulator = async (options: SimulatorOptions, logger: Logger): Promise<Simulator> => {
  const log = logger.child({ module: "simulator" });
  const random = createRandom(options.seed);
  const market = new Market(options.seed);
  const clock = tradeClock(options);
  const clients = new Set<Socket>();
  let universe: string[] = [];
  let nextId = 0;
  let tradesSent = 0;

  const refreshUniverse = () => {
    universe = [...new Set([...clients].flatMap((ws) => [...ws.data.symbols]))].sort();
  };
  const live = () => [...clients].filter((ws) => !ws.data.stalled && ws.data.symbols.size > 0);

  const command = (ws: Socket, message: string | Buffer) => {
    let parsed: { type?: unknown; symbol?: unknown };
    try {
      parsed = JSON.parse(String(message));
    } catch {
      ws.send(JSON.stringify({ type: "error", msg: "Invalid JSON" }));
      return;
    }
    const { type, symbol } = parsed;
    if (
      typeof symbol !== "string" ||
      symbol.trim() === "" ||
      (type !== "subscribe" && type !== "unsubscribe")
    ) {
      ws.send(JSON.stringify({ type: "error", msg: "Unknown message" }));
      return;
    }
    const { symbols } = ws.data;
    if (type === "unsubscribe") symbols.delete(symbol);
    else if (symbols.has(symbol)) return;
    else if (symbols.size >= options.symbolLimit) {
      ws.send(TOO_MANY);
      return;
    } else symbols.add(symbol);
    ws.data.signature = [...symbols].sort().join(",");
    refreshUniverse();
  };

  const emit = (count: number) => {
    const targets = live();
    if (targets.length === 0 || universe.length === 0) return 0;
    const now = clock();
    const trades: WireTrade[] = [];
    while (trades.length < count) {
      let trade = market.trade(universe[Math.floor(random() * universe.length)]!, now);
      if (random() < options.outOfOrderRatio) trade = { ...trade, t: now - 1 - Math.floor(random() * 3_000) };
      trades.push(trade);
      if (random() < REPEAT_RATIO) trades.push(trade);
    }
    const framesBySignature = new Map<string, { frames: string[]; trades: number }>();
    for (const ws of targets) {
      let batch = framesBySignature.get(ws.data.signature);
      if (!batch) {
        const mine = trades.filter((trade) => ws.data.symbols.has(trade.s));
        batch = { frames: buildFrames(mine, options.tradesPerFrame, options, random), trades: mine.length };
        framesBySignature.set(ws.data.signature, batch);
      }
      const { frames } = batch;
      ws.cork(() => {
        for (const frame of frames) ws.send(frame);
      });
      tradesSent += batch.trades;
    }
    return trades.length;
  };

  const armFaults = (ws: Socket) => {
    if (options.closeEverySec > 0) {
      ws.data.timers.push(
        setTimeout(() => ws.close(1001, "simulated server-side close"), options.closeEverySec * 1000),
      );
    }
    if (options.stallAfterSec > 0) {
      ws.data.timers.push(
        setTimeout(() => {
          ws.data.stalled = true;
          log.debug({ client: ws.data.id }, "simulated stall: connection goes silent");
        }, options.stallAfterSec * 1000),
      );
    }
  };

  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    fetch(request, server) {
      if (new URL(request.url).searchParams.get("token") !== options.token) {
        return new Response("Invalid API key", { status: 401 });
      }
      const data: Client = { id: ++nextId, symbols: new Set(), signature: "", stalled: false, timers: [] };
      if (server.upgrade(request, { data })) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 426 });
    },
    websocket: {
      data: {} as Client,
      open(ws) {
        clients.add(ws);
        armFaults(ws);
        log.debug({ client: ws.data.id }, "client connected");
      },
      message: command,
      close(ws) {
        for (const timer of ws.data.timers) clearTimeout(timer);
        clients.delete(ws);
        refreshUniverse();
        log.debug({ client: ws.data.id }, "client disconnected");
      },
    },
  });

  const emitter = startEmitter({
    rate: options.rate,
    emit,
    congested: () => live().some((ws) => ws.getBufferedAmount() > HIGH_WATER_BYTES),
  });
  const pings = setInterval(() => {
    for (const ws of clients) if (!ws.data.stalled) ws.send(PING);
  }, options.pingIntervalMs);

  const { handle } = createHandle(async () => {
    emitter.stop();
    clearInterval(pings);
    await server.stop(true);
  });
  const url = `ws://${server.hostname}:${server.port}`;
  log.info({ url, rate: options.rate || "max" }, `Finnhub simulator listening on ${url}`);
  return {
    url,
    token: options.token,
    handle,
    get tradesSent() {
      return tradesSent;
    },
    stopTrades: () => emitter.stop(),
  };
};
