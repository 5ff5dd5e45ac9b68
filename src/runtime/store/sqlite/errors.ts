import { SQLiteError } from "bun:sqlite";
import { TickflowError } from "../../errors.ts";

/** Failures that can pass: another connection holds the lock, the disk is full or briefly failing. */
const transientCodes = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL|NOMEM)/;

/** STORE_UNAVAILABLE (retryable) for transient SQLite failures, STORE_REJECTED for anything else. */
export const toStoreError = (error: unknown, operation: string): TickflowError => {
  if (error instanceof TickflowError) return error;
  const code = error instanceof SQLiteError ? error.code : undefined;
  const message = `SQLite ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
  const transient = code !== undefined && transientCodes.test(code);
  return new TickflowError(transient ? "STORE_UNAVAILABLE" : "STORE_REJECTED", message, {
    cause: error,
    details: { code },
  });
};

/** Runs a synchronous SQLite operation, translating its failure with `toStoreError`. */
export const guard = <T>(operation: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    throw toStoreError(error, operation);
  }
};
