import { isRetryable } from "./errors.ts";

/** Capped exponential backoff with full jitter. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound of any single delay, in ms. */
  maxMs: number;
  /** Growth factor per attempt. */
  factor?: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 100, maxMs: 10_000, factor: 2 };

/**
 * Delay before retry number `attempt` (0-based): uniformly random in [cap/2, cap] where
 * cap = min(maxMs, initialMs * factor^attempt). Half-jitter keeps reconnect storms apart while
 * still guaranteeing the delay grows.
 */
export const backoffDelay = (policy: BackoffPolicy, attempt: number, random: () => number = Math.random) => {
  const cap = Math.min(policy.maxMs, policy.initialMs * (policy.factor ?? 2) ** attempt);
  return cap / 2 + random() * (cap / 2);
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });

export interface RetryOptions {
  policy?: BackoffPolicy;
  /** Give up after this many attempts in all; unlimited when omitted. */
  maxAttempts?: number;
  /** Which errors are worth retrying; by default those marked retryable. */
  shouldRetry?: (error: unknown) => boolean;
  /** Called before each wait, for logging and metrics. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs or attempts run out; rejects with the
 * signal's reason once it aborts.
 */
export const retry = async <T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}) => {
  const policy = options.policy ?? defaultBackoff;
  const shouldRetry = options.shouldRetry ?? isRetryable;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const exhausted = options.maxAttempts !== undefined && attempt + 1 >= options.maxAttempts;
      if (exhausted || !shouldRetry(error)) throw error;
      const delay = backoffDelay(policy, attempt);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
};
