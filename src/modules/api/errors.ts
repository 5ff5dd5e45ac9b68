import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { type ErrorCode, isTickflowError, TickflowError } from "../../runtime/errors.ts";
import type { Logger } from "../../runtime/logger.ts";

/** One rejected request parameter, as listed in `error.details` of a 400. */
export interface ParameterIssue {
  parameter: string;
  /** Where the parameter was: path, query or header. */
  in?: string;
  message: string;
}

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  CONFIG_INVALID: 500,
  FINNHUB_AUTH_REJECTED: 500,
  FINNHUB_UNAVAILABLE: 503,
  TRANSPORT_UNAVAILABLE: 503,
  TRANSPORT_CLOSED: 503,
  STORE_UNAVAILABLE: 503,
  STORE_TIMEOUT: 503,
  STORE_REJECTED: 500,
  INPUT_MALFORMED: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  INTERNAL: 500,
};

const codeOfStatus = (status: number): ErrorCode => {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 404) return "NOT_FOUND";
  return status < 500 ? "BAD_REQUEST" : "INTERNAL";
};

const targets: Record<string, string> = { param: "path", query: "query", header: "header" };

/**
 * A 400 naming every rejected parameter, from the zod issues of one validation target and its values
 * (a parameter given twice arrives as a list, which no schema of one value explains well).
 */
export const parameterError = (error: ZodError, target: string, values?: unknown): TickflowError => {
  const given = (values ?? {}) as Record<string, unknown>;
  const issues: ParameterIssue[] = error.issues.map((issue) => {
    const parameter = String(issue.path[0] ?? target);
    const repeated = Array.isArray(given[parameter]);
    return {
      parameter,
      in: targets[target] ?? target,
      message: repeated ? "given more than once" : issue.message,
    };
  });
  const named = issues.map((issue) => `${issue.parameter} (${issue.message})`).join(", ");
  return new TickflowError("BAD_REQUEST", `invalid parameter: ${named}`, { details: issues });
};

/** The validation hook of every route: a failed parameter schema becomes a 400 through `onError`. */
export const validationHook = (result: {
  success: boolean;
  error?: ZodError;
  data?: unknown;
  target: string;
}) => {
  if (!result.success && result.error) throw parameterError(result.error, result.target, result.data);
};

/** A 400 about one parameter, for checks a schema cannot express (they involve several parameters). */
export const badParameter = (parameter: string, message: string) =>
  new TickflowError("BAD_REQUEST", `invalid parameter: ${parameter} (${message})`, {
    details: [{ parameter, message } satisfies ParameterIssue],
  });

/** Details that name a parameter in another shape (e.g. the store's cursor decoder) become a list. */
const normalizeDetails = (error: TickflowError): unknown => {
  const details = error.details as { parameter?: unknown } | undefined;
  if (typeof details?.parameter === "string")
    return [{ parameter: details.parameter, message: error.message }];
  return details;
};

export const errorBody = (code: ErrorCode, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Client errors say what was wrong; server errors say only what failed, the rest goes to the log. */
const describe = (error: unknown): { status: ContentfulStatusCode; body: ErrorBody } => {
  if (isTickflowError(error)) {
    const status = statusOf[error.code];
    if (status < 500) return { status, body: errorBody(error.code, error.message, normalizeDetails(error)) };
    const message = status === 503 ? "a dependency is unavailable, retry later" : "internal error";
    return { status, body: errorBody(error.code, message) };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return { status, body: errorBody(codeOfStatus(status), status < 500 ? error.message : "internal error") };
  }
  return { status: 500, body: errorBody("INTERNAL", "internal error") };
};

/** The one place where errors become HTTP answers. */
export const errorHandler =
  (logger: Logger): ErrorHandler =>
  (error, c) => {
    const { status, body } = describe(error);
    // A dependency being down (503) is reported by /readyz; only unexpected failures are errors.
    if (status === 503)
      logger.warn({ err: error, path: c.req.path }, "request failed: dependency unavailable");
    else if (status >= 500) logger.error({ err: error, path: c.req.path }, "request failed");
    return c.json(body, status);
  };

export const notFound: NotFoundHandler = (c: Context) =>
  c.json(errorBody("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`), 404);
