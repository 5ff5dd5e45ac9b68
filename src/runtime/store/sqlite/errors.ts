import { SQLiteError } from "bun:sqlite";
import { TickflowError } from "../../errors.ts";

/** Failures that can pass: another connection holds the lock, the disk is full or briefly failing. */
const transientCodes = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL|NOMEM)/;

/** A failure as it crosses from the write thread: SQLite's error code name and the message. */
export interface FailureReport {
  code: string | undefined;
  message: string;
}

export const reportOf = (error: unknown): FailureReport => ({
  code: error instanceof SQLiteError ? error.code : undefined,
  message: error instanceof Error ? error.message : String(error),
});

/** STORE_UNAVAILABLE (retryable) for transient SQLite failures, STORE_REJECTED for anything else. */
export const toStoreError = (error: unknown, operation: string, report = reportOf(error)): TickflowError => {
  if (error instanceof TickflowError) return error;
  const { code } = report;
  const transient = code !== undefined && transientCodes.test(code);
  return new TickflowError(
    transient ? "STORE_UNAVAILABLE" : "STORE_REJECTED",
    `SQLite ${operation} failed: ${report.message}`,
    { cause: error, details: { code } },
  );
};

/** Runs a synchronous SQLite operation, translating its failure with `toStoreError`. */
export const guard = <T>(operation: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    throw toStoreError(error, operation);
  }
};
