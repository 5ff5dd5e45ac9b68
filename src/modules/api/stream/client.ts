const encoder = new TextEncoder();

export interface ClientHooks {
  /** The client's queue overflowed: it was disconnected and `dropped` frames were thrown away. */
  overflow(dropped: number): void;
  /** The client is gone (any reason); called once. */
  closed(client: StreamClient): void;
}

/**
 * One connected stream: a bounded queue of SSE frames in front of a pull-based body stream. Frames are
 * handed to the body only when its reader asks, so a client that stops reading fills its queue and is
 * disconnected instead of growing memory.
 */
export class StreamClient {
  readonly stream: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #queue: string[];
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(
    readonly symbols: ReadonlySet<string>,
    first: string,
    private readonly maxQueue: number,
    private readonly hooks: ClientHooks,
  ) {
    this.#queue = [first];
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => this.#pull(),
        cancel: () => this.#end({ drain: false, closeStream: false }),
      },
      { highWaterMark: 0 },
    );
  }

  send(frame: string): void {
    if (this.#closed) return;
    this.#queue.push(frame);
    if (this.#wake) this.#flush();
    else if (this.#queue.length > this.maxQueue) {
      const dropped = this.#queue.length;
      this.#end({ drain: false, closeStream: true });
      this.hooks.overflow(dropped);
    }
  }

  /** Ends the stream after the frames already queued. */
  close(): void {
    this.#end({ drain: true, closeStream: true });
  }

  #pull(): Promise<void> | undefined {
    if (this.#queue.length > 0) {
      this.#flush();
      return;
    }
    if (this.#closed) return;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#wake = resolve;
    return promise;
  }

  #flush(): void {
    this.#controller.enqueue(encoder.encode(this.#queue.join("")));
    this.#queue = [];
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #end({ drain, closeStream }: { drain: boolean; closeStream: boolean }): void {
    if (this.#closed) return;
    this.#closed = true;
    if (drain && this.#queue.length > 0) this.#flush();
    this.#queue = [];
    if (closeStream) this.#controller.close();
    this.#wake?.();
    this.#wake = undefined;
    this.hooks.closed(this);
  }
}
