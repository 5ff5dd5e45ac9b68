import type { SubscribeOptions } from "../types.ts";

/**
 * One member's partitions of its topic, kept in step with kafkajs's group events. After any rebalance
 * kafkajs resumes every partition from its committed offset, including those the member keeps, so a
 * rebalance is reported as the revocation of all partitions followed by the assignment of the new set:
 * state built from uncommitted messages must be dropped either way. Callbacks run one at a time, in
 * order; batches wait for them (`settled`).
 */
export class Assignment {
  #partitions: readonly number[] = [];
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: Pick<SubscribeOptions<unknown>, "onAssign" | "onRevoke">,
    private readonly onError: (error: unknown) => void,
  ) {}

  get partitions(): readonly number[] {
    return this.#partitions;
  }

  owns(partition: number): boolean {
    return this.#partitions.includes(partition);
  }

  /** Resolves once the callbacks of every change so far have run. */
  settled(): Promise<void> {
    return this.#pending;
  }

  /** The member lost its partitions (a rebalance started, or the consumer crashed). */
  revokeAll(): void {
    const revoked = this.#partitions;
    if (revoked.length === 0) return;
    this.#partitions = [];
    this.#then(() => this.options.onRevoke?.(revoked));
  }

  /** The member joined a new generation of the group with these partitions. */
  assign(partitions: readonly number[]): void {
    this.revokeAll();
    const assigned = [...partitions].sort((a, b) => a - b);
    this.#partitions = assigned;
    if (assigned.length > 0) this.#then(() => this.options.onAssign?.(assigned));
  }

  #then(step: () => void | Promise<void>) {
    this.#pending = this.#pending.then(step).catch(this.onError);
  }
}
