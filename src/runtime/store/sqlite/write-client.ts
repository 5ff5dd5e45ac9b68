import { TickflowError } from "../../errors.ts";
import { noTimeSpent, type WriteActivity } from "./busy-time.ts";
import { toStoreError } from "./errors.ts";
import { type PackedTrades, transferablesOf } from "./packed-trades.ts";
import type { WriteReply, WriteRequest } from "./write-thread.ts";

/** A request that is answered, before it is numbered. */
type Unnumbered<T> = T extends { id: number } ? Omit<T, "id"> : never;

/**
 * The main thread's side of the write thread: sends requests, and settles each caller once the thread
 * answered (committed, or failed with an error mapped as on the main thread). The worker keeps the
 * process alive only while an answer is awaited.
 */
export class WriteThread {
  readonly #worker: Worker & { ref(): void; unref(): void };
  readonly #waiting = new Map<number, { settle: PromiseWithResolvers<void>; operation: string }>();
  readonly #opened: Promise<void>;
  #nextId = 0;
  #busySeconds = noTimeSpent();
  #failure: TickflowError | undefined;

  constructor(path: string) {
    // Bun's Worker has ref()/unref(); the DOM typing in scope does not.
    this.#worker = new Worker(new URL("./write-thread.ts", import.meta.url).href) as Worker & {
      ref(): void;
      unref(): void;
    };
    this.#worker.unref();
    this.#worker.onmessage = (event: MessageEvent<WriteReply>) => this.#answer(event.data);
    this.#worker.onerror = (event) => {
      const message = `the SQLite write thread failed: ${event.message}`;
      this.#fail(new TickflowError("STORE_UNAVAILABLE", message, { retryable: false }));
    };
    this.#opened = this.#send({ op: "open", path }, "open");
    this.#opened.catch(() => {});
  }

  /**
   * Hands trades and then bars (as JSON) to the thread's open transaction, where they are inserted at
   * once; the next `commit` makes them durable. The trades' buffers move to the thread: `trades` is
   * unusable here afterwards.
   */
  stage(trades: PackedTrades | undefined, bars: string | undefined): void {
    // A failed thread rejects the commit that follows; nothing to send until then.
    if (this.#failure) return;
    const request: WriteRequest = { op: "stage", trades, bars };
    this.#worker.postMessage(request, trades ? transferablesOf(trades) : []);
  }

  /**
   * Commits everything staged so far; rejects, with none of it stored, if any of it failed. Sent at
   * once (not after an await), so that a write staged after this call goes to the next transaction.
   */
  commit(): Promise<void> {
    return this.#send({ op: "commit" }, "write");
  }

  /**
   * Wall time the thread spent on each activity (inserting, committing), seconds, as of its latest
   * answer: every write ends with a commit, which is answered.
   */
  busySeconds(): Record<WriteActivity, number> {
    return { ...this.#busySeconds };
  }

  /** Takes the write lock and reads a table: fails while another connection holds the lock. */
  async probe(): Promise<void> {
    await this.#opened;
    return this.#send({ op: "probe" }, "health probe");
  }

  /** Lets the requests sent so far finish, closes the connection and ends the thread. */
  async close(): Promise<void> {
    try {
      await this.#send({ op: "close" }, "close");
    } finally {
      this.#fail(new TickflowError("STORE_UNAVAILABLE", "the SQLite store is closed", { retryable: false }));
      this.#worker.terminate();
    }
  }

  #send(request: Unnumbered<WriteRequest>, operation: string, transfer: Transferable[] = []): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#nextId;
    const settle = Promise.withResolvers<void>();
    if (this.#waiting.size === 0) this.#worker.ref();
    this.#waiting.set(id, { settle, operation });
    this.#worker.postMessage({ ...request, id }, transfer);
    return settle.promise;
  }

  #answer({ id, failure, busySeconds }: WriteReply) {
    this.#busySeconds = busySeconds;
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if (failure) waiting.settle.reject(toStoreError(new Error(failure.message), waiting.operation, failure));
    else waiting.settle.resolve();
  }

  #fail(error: TickflowError) {
    this.#failure ??= error;
    for (const { settle } of this.#waiting.values()) settle.reject(error);
    this.#waiting.clear();
    this.#worker.unref();
  }
}
