/** Replay pace: 1 = as recorded, N = N times faster, "max" = as fast as the pipeline takes it. */
export type ReplaySpeed = number | "max";

/**
 * Maps event time to wall time: the first event anchors both clocks, and a later event is due when
 * (its event time - the first) / speed has passed. Events that are already due (or out of order) wait 0.
 */
export class Pacer {
  readonly #speed: ReplaySpeed;
  #anchor: { event: number; wall: number } | undefined;

  constructor(speed: ReplaySpeed) {
    this.#speed = speed;
  }

  /** Milliseconds to wait before emitting an event stamped `eventMs`. */
  delayFor(eventMs: number, now = Date.now()): number {
    if (this.#speed === "max") return 0;
    if (!this.#anchor) {
      this.#anchor = { event: eventMs, wall: now };
      return 0;
    }
    const due = this.#anchor.wall + (eventMs - this.#anchor.event) / this.#speed;
    return Math.max(0, Math.floor(due - now));
  }
}
