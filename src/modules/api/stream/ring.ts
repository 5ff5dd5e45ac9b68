import { eventFrame, eventId, eventSymbol, type StreamEvent } from "./frames.ts";

export interface Entry {
  seq: number;
  event: StreamEvent;
  /** Encoded on first use: most events reach no client. */
  frame: string | undefined;
}

/** The latest `capacity` events, for Last-Event-ID resume, plus what each symbol lost to eviction. */
export class ReplayRing {
  readonly #entries: (Entry | undefined)[];
  /** Per symbol, the sequence of its newest event pushed out of the ring. */
  readonly #evicted = new Map<string, number>();

  constructor(
    readonly capacity: number,
    private readonly instance: string,
  ) {
    this.#entries = new Array(capacity);
  }

  /**
   * Stores event number `seq` (one more than the previous one). Once the ring is full its entries are
   * reused: the returned entry is valid until `capacity` more events were pushed.
   */
  push(seq: number, event: StreamEvent): Entry {
    const index = seq % this.capacity;
    const entry = this.#entries[index];
    if (entry === undefined) {
      const created: Entry = { seq, event, frame: undefined };
      this.#entries[index] = created;
      return created;
    }
    this.#evicted.set(eventSymbol(entry.event), entry.seq);
    entry.seq = seq;
    entry.event = event;
    entry.frame = undefined;
    return entry;
  }

  /** True when every event of `symbols` after `seq` is still held. */
  holdsAfter(seq: number, symbols: Iterable<string>): boolean {
    for (const symbol of symbols) if ((this.#evicted.get(symbol) ?? 0) > seq) return false;
    return true;
  }

  /** The frames of the held events of `symbols` after `seq`, up to `latest`, in order. */
  framesAfter(seq: number, latest: number, symbols: ReadonlySet<string>): string {
    let frames = "";
    for (let next = Math.max(seq + 1, latest - this.capacity + 1); next <= latest; next++) {
      const entry = this.#entries[next % this.capacity];
      if (entry && symbols.has(eventSymbol(entry.event))) frames += this.frame(entry);
    }
    return frames;
  }

  /** The SSE frame of an entry, encoded once. */
  frame(entry: Entry): string {
    entry.frame ??= eventFrame(eventId(this.instance, entry.seq), entry.event);
    return entry.frame;
  }
}
