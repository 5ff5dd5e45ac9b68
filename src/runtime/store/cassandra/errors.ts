import { type ErrorCode, TickflowError } from "../../errors.ts";

/**
 * CQL error codes (native protocol spec, section 8) worth retrying: the coordinator could not reach
 * enough replicas, was overloaded or starting, or the replicas did not answer in time.
 */
const codeOf: Record<number, ErrorCode> = {
  4096: "STORE_UNAVAILABLE", // unavailable
  4097: "STORE_UNAVAILABLE", // overloaded
  4098: "STORE_UNAVAILABLE", // is bootstrapping
  4352: "STORE_TIMEOUT", // write timeout
  4608: "STORE_TIMEOUT", // read timeout
  4864: "STORE_UNAVAILABLE", // read failure
  5376: "STORE_UNAVAILABLE", // write failure
};

/** Driver errors about the connection rather than the statement (classes of cassandra-driver `errors`). */
const connectionErrors: Record<string, ErrorCode> = {
  NoHostAvailableError: "STORE_UNAVAILABLE",
  BusyConnectionError: "STORE_UNAVAILABLE",
  DriverInternalError: "STORE_UNAVAILABLE",
  OperationTimedOutError: "STORE_TIMEOUT",
};

/**
 * Translates a cassandra-driver failure into a TickflowError: STORE_UNAVAILABLE / STORE_TIMEOUT
 * (retryable) when the cluster is away or slow, STORE_REJECTED for anything the same request would hit
 * again (syntax, schema, authentication). Matched by the driver's error class names so this module
 * does not load the driver.
 */
/**
 * The driver's message, except that a NoHostAvailableError's (every contact point failed) embeds each
 * host's error object as printed by util.inspect, stack included: there, each host and what it said.
 */
const describeDriverError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const byHost = (error as { innerErrors?: unknown }).innerErrors;
  if (error.name !== "NoHostAvailableError" || typeof byHost !== "object" || byHost === null)
    return error.message;
  const hosts = Object.entries(byHost).map(
    ([host, inner]) => `${host}: ${inner instanceof Error ? inner.message : String(inner)}`,
  );
  return hosts.length === 0 ? error.message : `no host answered (${hosts.join("; ")})`;
};

export const toStoreError = (error: unknown, operation: string): TickflowError => {
  if (error instanceof TickflowError) return error;
  const name = error instanceof Error ? error.name : "";
  const responseCode = (error as { code?: unknown } | null)?.code;
  const code =
    connectionErrors[name] ??
    (name === "ResponseError" && typeof responseCode === "number" ? codeOf[responseCode] : undefined) ??
    "STORE_REJECTED";
  const message = `Cassandra ${operation} failed: ${describeDriverError(error)}`;
  return new TickflowError(code, message, { cause: error, details: { driverError: name || undefined } });
};
