import { Signal } from "./signal.ts";
import type { IncomingMessage } from "./types.ts";

/** One partition's messages, from the slowest group's cursor to the end. */
export class PartitionLog {
  /** Held messages from `#head` on; the slots before it are emptied, so nothing keeps what was trimmed. */
  #messages: (IncomingMessage<unknown> | undefined)[] = [];
  #head = 0;
  /** Offset of the oldest message held. */
  #baseOffset = 0;
  /** Wakes consumers waiting for messages. */
  readonly published = new Signal();
  /** Wakes publishers waiting for space. */
  readonly consumed = new Signal();

  constructor(readonly partition: number) {}

  get baseOffset() {
    return this.#baseOffset;
  }

  get endOffset() {
    return this.#baseOffset + this.#messages.length - this.#head;
  }

  append(key: string, value: unknown, timestamp: number) {
    this.#messages.push({ key, value, partition: this.partition, offset: this.endOffset, timestamp });
  }

  /** Up to `max` messages from `offset` on. */
  read(offset: number, max: number) {
    const start = this.#head + (offset - this.#baseOffset);
    return this.#messages.slice(start, start + max) as IncomingMessage<unknown>[];
  }

  /**
   * Forgets messages before `offset` at once (a trimmed message's value, e.g. a trade waiting for nothing
   * any more, must not outlive it here), compacting the array once the emptied prefix dominates.
   */
  trimTo(offset: number) {
    const drop = Math.min(offset, this.endOffset) - this.#baseOffset;
    if (drop <= 0) return;
    this.#messages.fill(undefined, this.#head, this.#head + drop);
    this.#head += drop;
    this.#baseOffset += drop;
    if (this.#head > 1_024 && this.#head * 2 > this.#messages.length) {
      this.#messages = this.#messages.slice(this.#head);
      this.#head = 0;
    }
  }
}
