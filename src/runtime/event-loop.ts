/**
 * Resolves on the event loop's next turn (after the I/O and timers now due), not as a microtask: what a
 * long run of promise continuations would hold up gets to run first.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
