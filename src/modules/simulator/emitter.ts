export interface EmitterOptions {
  /** Trades per second; 0 = as fast as the clients take them. */
  rate: number;
  /** Emits up to `count` trades; returns how many went out (0 when nobody is subscribed). */
  emit(count: number): number;
  /** True while a client has too much unsent data; emission waits. */
  congested(): boolean;
}

const TICK_MS = 5;
const MAX_BATCH = 4_096;
const IDLE_MS = 5;

/**
 * The simulator's clock. At a set rate it ticks every 5 ms and emits the trades due (a credit carries the
 * fractions, so 3 trades/s works). At rate 0 it emits batches back to back but yields to the event loop
 * after each one (setImmediate), so an ingest in the same process still runs, and it pauses while a client
 * is congested instead of buffering without bound.
 */
export const startEmitter = (options: EmitterOptions): { stop(): void } => {
  let stopped = false;
  let timer: Timer | undefined;

  if (options.rate > 0) {
    let last = performance.now();
    let credit = 0;
    timer = setInterval(() => {
      const now = performance.now();
      credit = Math.min(credit + (options.rate * (now - last)) / 1000, Math.max(options.rate, 1));
      last = now;
      if (credit < 1 || options.congested()) return;
      const count = Math.floor(credit);
      credit -= count;
      options.emit(count);
    }, TICK_MS);
    return { stop: () => clearInterval(timer) };
  }

  const step = () => {
    if (stopped) return;
    if (options.congested()) timer = setTimeout(step, IDLE_MS);
    else if (options.emit(MAX_BATCH) === 0) timer = setTimeout(step, IDLE_MS);
    else setImmediate(step);
  };
  setImmediate(step);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
