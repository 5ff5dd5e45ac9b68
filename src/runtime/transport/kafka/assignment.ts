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
  /** Owned partitions plus those whose `onRevoke` is still running (it may commit final progress). */
  readonly #committable = new Set<number>();
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: Pick<SubscribeOptions<unknown>, "onAssign" | "onRevoke">,
    private readonly onError: (error: unknown) => void,
  ) {}

  get partitions(): readonly number[] {
    return this.#partitions;
  }

  /** True while the partition is this member's: new batches of it may start. */
  owns(partition: number): boolean {
    return this.#partitions.includes(partition);
  }

  /** True until the partition's revocation finished: the group still accepts this member's commits. */
  canCommit(partition: number): boolean {
    return this.#committable.has(partition);
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
    this.#then(async () => {
      try {
        await this.options.onRevoke?.(revoked);
      } finally {
        for (const partition of revoked) if (!this.owns(partition)) this.#committable.delete(partition);
      }
    });
  }

  /** The member joined a new generation of the group with these partitions. */
  assign(partitions: readonly number[]): void {
    this.revokeAll();
    const assigned = [...partitions].sort((a, b) => a - b);
    this.#partitions = assigned;
    for (const partition of assigned) this.#committable.add(partition);
    if (assigned.length > 0) this.#then(() => this.options.onAssign?.(assigned));
  }

  #then(step: () => void | Promise<void>) {
    this.#pending = this.#pending.then(step).catch(this.onError);
  }
}
