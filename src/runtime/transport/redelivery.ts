import type { BackoffPolicy } from "../retry.ts";

/** Backoff between deliveries of a batch whose handler failed with a retryable error, on every backend. */
export const redeliveryBackoff: BackoffPolicy = { initialMs: 50, maxMs: 5_000 };
