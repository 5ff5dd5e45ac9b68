import type { Logger } from "../../runtime/logger.ts";
import type { OutgoingMessage, Transport } from "../../runtime/transport/index.ts";
import {
  checkTrade,
  type DeadLetter,
  isEndOfInput,
  type ProcessedMessage,
  type Trade,
  topics,
} from "../contracts/index.ts";
import { rejectedValue } from "./dead-letter.ts";
import { PartitionEngine, type ProcessorOptions } from "./engine.ts";
import type { EngineStats } from "./stats.ts";

export interface RunnerDeps {
  options: ProcessorOptions;
  transport: Transport;
  stats: EngineStats;
  clock: () => number;
  logger: Logger;
  /** Acknowledges every message of the partition before `nextOffset`. */
  commit(partition: number, nextOffset: number): Promise<void>;
  /** Called with every dead letter sent, for the metrics. */
  onDeadLetter(reason: string): void;
}

const keyOf = (message: ProcessedMessage) => {
  switch (message.kind) {
    case "trade":
      return message.trade.symbol;
    case "bar":
      return message.bar.symbol;
    case "correction":
      return message.symbol;
    case "end":
      return message.source;
  }
};

/**
 * One assigned partition: feeds its engine, publishes what the engine emits in order (one publish after
 * another), then commits no further than the engine's replay point.
 */
export class PartitionRunner {
  readonly engine: PartitionEngine;
  readonly #deps: RunnerDeps;
  #tail: Promise<void> = Promise.resolve();
  /** Offset after the last message consumed; -1 before the first. */
  #consumed = -1;
  #committed = -1;

  constructor(
    readonly partition: number,
    deps: RunnerDeps,
  ) {
    this.#deps = deps;
    this.engine = new PartitionEngine(deps.options, deps.stats);
  }

  /** Processes consecutive messages; resolves once everything they caused is published and committed. */
  consume(messages: readonly { value: unknown; offset: number }[]): Promise<void> {
    const now = this.#deps.clock();
    const out: ProcessedMessage[] = [];
    const rejected: DeadLetter[] = [];
    for (const { value, offset } of messages) {
      if (isEndOfInput(value) && typeof value.source === "string") {
        this.engine.endOfInput(value.source, now, out);
        continue;
      }
      const reason = checkTrade(value);
      if (reason === null) this.engine.ingest(value as Trade, offset, now, out);
      else rejected.push(rejectedValue(value, reason, now));
    }
    this.engine.flush(now, out);
    const last = messages.at(-1);
    if (last) this.#consumed = last.offset + 1;
    return this.#send(out, rejected);
  }

  /** Timer work (idle timeout, due provisional updates). */
  tick(): Promise<void> {
    const out: ProcessedMessage[] = [];
    this.engine.tick(this.#deps.clock(), out);
    return out.length > 0 ? this.#send(out, []) : this.#tail;
  }

  /** Resolves when everything emitted so far is published and committed. */
  idle(): Promise<void> {
    return this.#tail;
  }

  #send(out: ProcessedMessage[], rejected: DeadLetter[]): Promise<void> {
    const replayFrom = this.engine.replayFrom() ?? Number.POSITIVE_INFINITY;
    const commitTo = Math.min(this.#consumed, replayFrom);
    const outgoing = out.map((value): OutgoingMessage<ProcessedMessage> => {
      const key = keyOf(value);
      return value.kind === "end" ? { key, value, partition: this.partition } : { key, value };
    });
    for (const letter of rejected) this.#deps.onDeadLetter(letter.reason);
    if (rejected.length > 0) {
      this.#deps.logger.warn(
        { partition: this.partition, count: rejected.length },
        "invalid trades dead-lettered",
      );
    }
    this.#tail = this.#tail.then(async () => {
      const { transport } = this.#deps;
      await Promise.all([
        outgoing.length > 0 ? transport.publish(topics.processed, outgoing) : undefined,
        rejected.length > 0
          ? transport.publish(
              topics.deadLetters,
              rejected.map((value) => ({ key: value.source ?? "processor", value })),
            )
          : undefined,
      ]);
      if (commitTo > this.#committed) {
        this.#committed = commitTo;
        await this.#deps.commit(this.partition, commitTo);
      }
    });
    return this.#tail;
  }
}
