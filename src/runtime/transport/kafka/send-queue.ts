import { CompressionTypes, type Producer, type TopicMessages } from "kafkajs";
import { errorMessage, TickflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { retry, sleep } from "../../retry.ts";
import { Signal } from "../signal.ts";
import type { EncodedChunk } from "./codec.ts";
import { isTransient } from "./errors.ts";
import type { KafkaMetrics } from "./metrics.ts";

export interface SendQueueOptions {
  /** Unacknowledged messages past which publishers wait (backpressure while the brokers are away). */
  bufferMessages: number;
  /** Most uncompressed bytes in one produce request. */
  maxRequestBytes: number;
}

interface Pending extends EncodedChunk {
  topic: string;
  done: PromiseWithResolvers<void>;
}

/** Backoff between attempts of one produce request while the brokers do not acknowledge it. */
const sendBackoff = { initialMs: 100, maxMs: 5_000 };

const closedError = () => new TickflowError("TRANSPORT_CLOSED", "transport is closed");

/**
 * The producer side: publishers hand over encoded chunks and wait for the brokers' acknowledgement.
 * One produce request is in flight at a time and carries every chunk queued meanwhile (up to a size),
 * so batches grow with the load; a request is retried until acknowledged before the next one goes, which
 * keeps the order of each partition. Publishers wait while more than `bufferMessages` are unacknowledged.
 */
export class SendQueue {
  readonly #queue: Pending[] = [];
  readonly #space = new Signal();
  readonly #work = new Signal();
  readonly #abort = new AbortController();
  readonly #loop: Promise<void>;
  #unacknowledged = 0;
  #closed = false;
  #connected = false;
  /** The last error while requests are failing; cleared by the next acknowledgement. */
  failure: unknown;

  constructor(
    private readonly producer: Producer,
    private readonly options: SendQueueOptions,
    private readonly metrics: KafkaMetrics,
    private readonly logger: Logger,
  ) {
    this.#loop = this.#run();
  }

  get unacknowledged() {
    return this.#unacknowledged;
  }

  /** Resolves once every chunk is acknowledged by all in-sync replicas. */
  async send(topic: string, chunks: readonly EncodedChunk[]): Promise<void> {
    const count = chunks.reduce((sum, chunk) => sum + chunk.messages.length, 0);
    if (count === 0) return;
    while (this.#unacknowledged > 0 && this.#unacknowledged + count > this.options.bufferMessages) {
      if (this.#closed) throw closedError();
      await this.#space.wait();
    }
    if (this.#closed) throw closedError();
    this.#unacknowledged += count;
    this.metrics.unacknowledged.set(this.#unacknowledged);
    const pending = chunks.map((chunk) => ({ ...chunk, topic, done: Promise.withResolvers<void>() }));
    this.#queue.push(...pending);
    this.#work.notify();
    await Promise.all(pending.map((chunk) => chunk.done.promise));
  }

  /**
   * Refuses new messages, gives queued ones `graceMs` to be acknowledged, fails the rest and disconnects.
   */
  async close(graceMs: number) {
    this.#closed = true;
    this.#space.notify();
    this.#work.notify();
    const grace = new AbortController();
    await Promise.race([this.#loop, sleep(graceMs, grace.signal)]);
    grace.abort();
    this.#abort.abort(closedError());
    await this.#loop;
    await this.producer.disconnect();
  }

  async #run() {
    for (;;) {
      if (this.#abort.signal.aborted) {
        for (const chunk of this.#queue.splice(0)) chunk.done.reject(closedError());
        return;
      }
      if (this.#queue.length === 0) {
        if (this.#closed) return;
        await this.#work.wait();
        continue;
      }
      await this.#deliver(this.#take());
    }
  }

  /** The oldest chunks that fit one request (at least one). */
  #take(): Pending[] {
    const taken: Pending[] = [];
    let bytes = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      if (taken.length > 0 && bytes + next.bytes > this.options.maxRequestBytes) break;
      taken.push(this.#queue.shift()!);
      bytes += next.bytes;
    }
    return taken;
  }

  async #deliver(batch: Pending[]) {
    const byTopic = new Map<string, TopicMessages>();
    for (const chunk of batch) {
      const entry = byTopic.get(chunk.topic);
      if (entry) entry.messages.push(...chunk.messages);
      else byTopic.set(chunk.topic, { topic: chunk.topic, messages: [...chunk.messages] });
    }
    const topicMessages = [...byTopic.values()];
    const count = (metric: KafkaMetrics["sent"]) => {
      for (const { topic, messages } of topicMessages) metric.inc({ topic }, messages.length);
    };
    try {
      await retry(() => this.#request(topicMessages), {
        policy: sendBackoff,
        shouldRetry: isTransient,
        signal: this.#abort.signal,
        onRetry: (error) => {
          count(this.metrics.failed);
          if (this.failure === undefined) {
            this.logger.warn({ err: error }, `Kafka does not acknowledge; retrying: ${errorMessage(error)}`);
          }
          this.failure = error;
        },
      });
      if (this.failure !== undefined) this.logger.info("Kafka acknowledges again");
      this.failure = undefined;
      count(this.metrics.sent);
      for (const chunk of batch) chunk.done.resolve();
    } catch (error) {
      count(this.metrics.failed);
      const failure = this.#abort.signal.aborted
        ? closedError()
        : new TickflowError("TRANSPORT_UNAVAILABLE", `Kafka rejected messages: ${errorMessage(error)}`, {
            cause: error,
            retryable: false,
          });
      for (const chunk of batch) chunk.done.reject(failure);
    } finally {
      this.#unacknowledged -= batch.reduce((sum, chunk) => sum + chunk.messages.length, 0);
      this.metrics.unacknowledged.set(this.#unacknowledged);
      this.#space.notify();
    }
  }

  async #request(topicMessages: TopicMessages[]) {
    try {
      if (!this.#connected) await this.producer.connect();
      this.#connected = true;
      await this.producer.sendBatch({
        topicMessages,
        acks: -1,
        timeout: 30_000,
        compression: CompressionTypes.Snappy,
      });
    } catch (error) {
      this.#connected = false;
      throw error;
    }
  }
}
