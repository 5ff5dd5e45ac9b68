import type { Logger } from "../../runtime/logger.ts";
import type { OutgoingMessage, Transport } from "../../runtime/transport/index.ts";
import { type DeadLetter, type EndOfInput, type Trade, topics } from "../contracts/index.ts";
import type { DecodedFrame, Rejection } from "./decode.ts";
import type { IngestMetrics } from "./metrics.ts";

/** Where a frame came from, for dead letters and log lines. */
export interface FrameOrigin {
  /** `source` of the dead letters: "finnhub", "simulator", "replay:<file>". */
  source: string;
  /** Human position of the frame: "finnhub connection 0", "day.ndjson line 17". */
  location: string;
}

export interface TradeSinkOptions {
  transport: Transport;
  metrics: IngestMetrics;
  logger: Logger;
  /** Messages queued or in flight past which `offer` drops (sources that cannot pause). */
  maxPending: number;
  /** Dead letters keep at most this many characters of the original payload. */
  maxPayloadChars: number;
  /** Called once when the transport refuses a publish; the module fails with that error. */
  onFailure(error: unknown): void;
}

const DROP_LOG_INTERVAL_MS = 5_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trades a pausable source may offer before `whenReady` hands the event loop back. A file's lines follow
 * one another without a wait for I/O, so a replay offered frames in a single turn of the event loop until
 * the queue was full (`maxPending`), while the publish, which waits for the next turn, waited with it:
 * the pipeline ran in bursts. A socket's frames come one callback at a time. With a turn every 5,000
 * trades, `bun bench/replay-dev.ts` stored 17-20% more trades a second (docs/BENCHMARKS.md, dev mode).
 */
const TRADES_PER_TURN = 5_000;

/**
 * Hands decoded frames to the transport. A WebSocket cannot be paused, so `offer` never waits: it queues
 * up to `maxPending` messages and drops past that, counted and logged, never silently. A source that can
 * pause (replay) awaits `whenReady()` before each offer, so nothing is dropped and the transport's
 * backpressure reaches the file reader.
 */
export class TradeSink {
  readonly #options: TradeSinkOptions;
  #trades: OutgoingMessage<Trade>[] = [];
  #letters: OutgoingMessage<DeadLetter>[] = [];
  #arrivals: number[] = [];
  #pending = 0;
  /** Trades offered since the publish last had its turn of the event loop. */
  #offeredSinceTurn = 0;
  #pumping: Promise<void> | undefined;
  /** Settled while there is room; replaced by a pending one when the queue fills. */
  #room = Promise.withResolvers<void>();
  #full = false;
  #failure: unknown;
  #droppedSinceLog = 0;
  #lastDropLog = 0;

  constructor(options: TradeSinkOptions) {
    this.#options = options;
    this.#room.resolve();
  }

  /**
   * Queues the frame's trades and dead letters without waiting. The bound is checked once per frame, so a
   * source that awaited `whenReady()` gets its whole frame accepted (the queue overshoots by one frame).
   */
  offer(frame: DecodedFrame, receivedAt: number, origin: FrameOrigin): void {
    const { trades, rejections } = frame;
    if (trades.length === 0 && rejections.length === 0) return;
    const accept = this.accepting;
    if (rejections.length > 0) this.#deadLetters(frame, rejections, receivedAt, origin, accept);
    if (trades.length === 0) return;
    const { metrics } = this.#options;
    if (!accept) {
      metrics.droppedTrades.inc(trades.length);
      this.#logDrop(trades.length);
      return;
    }
    const lastTradeMs = metrics.lastTradeMs;
    for (const trade of trades) {
      this.#trades.push({ key: trade.symbol, value: trade });
      const last = lastTradeMs.get(trade.symbol);
      if (last === undefined || trade.timestamp > last) lastTradeMs.set(trade.symbol, trade.timestamp);
    }
    this.#arrivals.push(receivedAt);
    this.#offeredSinceTurn += trades.length;
    this.#grow(trades.length);
  }

  /** False while the queue is full or the transport failed: what is offered now is dropped. */
  get accepting(): boolean {
    return this.#pending < this.#options.maxPending && this.#failure === undefined;
  }

  /**
   * Counts (and logs) the trades of a frame dropped without decoding it: while nothing is accepted, a
   * live source spends no time on what it would drop anyway, and more goes to the work that catches up.
   */
  dropUnread(trades: number): void {
    this.#options.metrics.droppedTrades.inc(trades);
    this.#logDrop(trades);
  }

  /**
   * Resolves once `offer` accepts without dropping (after a turn of the event loop when the publish has
   * not had one for `TRADES_PER_TURN` trades); rejects if the transport failed.
   */
  whenReady(): Promise<void> {
    if (this.#offeredSinceTurn >= TRADES_PER_TURN) {
      this.#offeredSinceTurn = 0;
      return nextTurn().then(() => this.whenReady());
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return this.#room.promise;
  }

  /** Resolves once everything offered so far was published. */
  async flush(): Promise<void> {
    while (this.#pumping) await this.#pumping;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Publishes the end marker of a finite source to every partition of the trades topic, after the rest. */
  async end(source: string): Promise<void> {
    await this.flush();
    const { transport } = this.#options;
    const marker: EndOfInput = { kind: "end", source };
    const messages = Array.from({ length: transport.partitions }, (_, partition) => ({
      key: source,
      value: marker,
      partition,
    }));
    await transport.publish(topics.trades, messages);
  }

  #deadLetters(
    frame: DecodedFrame,
    rejections: readonly Rejection[],
    at: number,
    origin: FrameOrigin,
    accept: boolean,
  ) {
    const { metrics, maxPayloadChars } = this.#options;
    for (const { reason, index, payload } of rejections) {
      metrics.validationErrors.inc({ reason });
      if (!accept) {
        metrics.droppedDeadLetters.inc();
        continue;
      }
      metrics.deadLetters.inc({ stage: "ingest", reason });
      const where =
        index < 0 ? origin.location : `${origin.location}, frame ${frame.frameId}, trade ${index}`;
      const kept = payload.length > maxPayloadChars ? payload.slice(0, maxPayloadChars) : payload;
      const letter: DeadLetter = {
        stage: "ingest",
        reason,
        message: `${where}: ${reason}`,
        payload: kept,
        source: origin.source,
        at,
      };
      this.#letters.push({ key: origin.source, value: letter });
    }
    if (accept) this.#grow(rejections.length);
  }

  #setPending(pending: number) {
    this.#pending = pending;
    this.#options.metrics.sink.pending = pending;
  }

  #grow(count: number) {
    this.#setPending(this.#pending + count);
    if (!this.#full && this.#pending >= this.#options.maxPending) {
      this.#full = true;
      this.#room = Promise.withResolvers<void>();
    }
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = undefined;
    });
  }

  async #pump() {
    const { transport, metrics } = this.#options;
    // A socket hands over one frame per callback: waiting for the rest of this turn of the event loop
    // sends every frame read in it as one publish, so the pipeline downstream works in batches, not
    // once per frame of a few trades.
    await nextTurn();
    this.#offeredSinceTurn = 0;
    while (this.#trades.length > 0 || this.#letters.length > 0) {
      const trades = this.#trades;
      const letters = this.#letters;
      const arrivals = this.#arrivals;
      this.#trades = [];
      this.#letters = [];
      this.#arrivals = [];
      let tradesSent = false;
      try {
        if (trades.length > 0) await transport.publish(topics.trades, trades);
        tradesSent = true;
        if (letters.length > 0) await transport.publish(topics.deadLetters, letters);
      } catch (error) {
        this.#fail(error, tradesSent ? 0 : trades.length);
        return;
      }
      const now = Date.now();
      for (const arrival of arrivals) metrics.latency.observe((now - arrival) / 1000);
      metrics.trades.inc(trades.length);
      this.#setPending(this.#pending - trades.length - letters.length);
      if (this.#full && this.#pending < this.#options.maxPending) {
        this.#full = false;
        this.#room.resolve();
      }
    }
  }

  #fail(error: unknown, lostTrades: number) {
    this.#failure = error;
    this.#options.metrics.droppedTrades.inc(lostTrades + this.#trades.length);
    this.#trades = [];
    this.#letters = [];
    this.#setPending(0);
    this.#room.reject(error);
    this.#room.promise.catch(() => {});
    this.#options.onFailure(error);
  }

  #logDrop(count: number) {
    this.#droppedSinceLog += count;
    const now = Date.now();
    if (now - this.#lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.#options.logger.warn(
      { dropped: this.#droppedSinceLog, pending: this.#pending, maxPending: this.#options.maxPending },
      `transport is behind the live feed: dropped ${this.#droppedSinceLog} trades (ingest_dropped_trades_total)`,
    );
    this.#droppedSinceLog = 0;
    this.#lastDropLog = now;
  }
}
