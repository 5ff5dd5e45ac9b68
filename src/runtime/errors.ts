/**
 * Every error tickflow raises on purpose carries a code from this closed list, an optional cause and
 * whether retrying can help. Retry policy and HTTP mapping are keyed by these codes.
 */
export const errorCodes = [
  "CONFIG_INVALID",
  "FINNHUB_AUTH_REJECTED",
  "FINNHUB_UNAVAILABLE",
  "TRANSPORT_UNAVAILABLE",
  "TRANSPORT_CLOSED",
  "STORE_UNAVAILABLE",
  "STORE_TIMEOUT",
  "STORE_REJECTED",
  "INPUT_MALFORMED",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "NOT_FOUND",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const retryableCodes: ReadonlySet<ErrorCode> = new Set([
  "FINNHUB_UNAVAILABLE",
  "TRANSPORT_UNAVAILABLE",
  "STORE_UNAVAILABLE",
  "STORE_TIMEOUT",
]);

export interface TickflowErrorOptions {
  cause?: unknown;
  details?: unknown;
  retryable?: boolean;
}

export class TickflowError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: TickflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TickflowError";
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? retryableCodes.has(code);
  }
}

export const isTickflowError = (error: unknown): error is TickflowError => error instanceof TickflowError;

/** True when retrying the failed operation can succeed; unknown errors are treated as not retryable. */
export const isRetryable = (error: unknown): boolean => isTickflowError(error) && error.retryable;

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
