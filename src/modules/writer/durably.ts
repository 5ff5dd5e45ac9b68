import type { Logger } from "../../runtime/logger.ts";
import { type BackoffPolicy, retry } from "../../runtime/retry.ts";

/** Runs a store operation until it succeeds; retryable failures wait with backoff, others are thrown. */
export type Durably = <T>(what: string, operation: () => Promise<T>) => Promise<T>;

const isPowerOfTwo = (n: number) => (n & (n - 1)) === 0;

/**
 * Retries without a limit while the store is unavailable: the batch handler does not resolve meanwhile,
 * so nothing is acknowledged upstream and backpressure reaches the source. `signal` ends the waiting
 * when the writer stops. Logs the 1st, 2nd, 4th, 8th... failure, not every one.
 */
export const createDurably =
  (policy: BackoffPolicy, signal: AbortSignal, logger: Logger): Durably =>
  (what, operation) =>
    retry(operation, {
      policy,
      signal,
      onRetry: (error, attempt, delayMs) => {
        if (isPowerOfTwo(attempt + 1)) {
          logger.warn(
            { err: error, attempts: attempt + 1, delayMs: Math.round(delayMs) },
            `store ${what} failed`,
          );
        }
      },
    });
