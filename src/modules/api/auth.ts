import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { TickflowError } from "../../runtime/errors.ts";

/**
 * Query parameter accepted in place of the header on the stream only: a browser's EventSource cannot send
 * headers. Everywhere else a token in a URL would end up in access logs and browser history for nothing.
 */
export const ACCESS_TOKEN_PARAM = "access_token";
const STREAM_PATH = "/v1/stream";

const digest = (value: string) => createHash("sha256").update(value).digest();

const presented = (authorization: string | undefined, queryToken: string | undefined) => {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? queryToken;
};

/**
 * Requires `Authorization: Bearer <token>` (or `?access_token=<token>` on the stream). Digests of equal length are
 * compared in constant time, so neither the token's content nor its length leaks through timing.
 */
export const bearerAuth = (token: string): MiddlewareHandler => {
  const expected = digest(token);
  return async (c, next) => {
    const queryToken = c.req.path === STREAM_PATH ? c.req.query(ACCESS_TOKEN_PARAM) : undefined;
    const candidate = presented(c.req.header("authorization"), queryToken);
    if (candidate === undefined || !timingSafeEqual(digest(candidate), expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="tickflow"');
      throw new TickflowError("UNAUTHORIZED", "a valid bearer token is required");
    }
    await next();
  };
};
