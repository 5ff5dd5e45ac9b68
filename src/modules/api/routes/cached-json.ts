import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { Store } from "../../../runtime/store/index.ts";
import type { ResponseCache } from "../response-cache.ts";

const JSON_HEADERS = { "content-type": "application/json" };

type JsonResponse<T> = Response & TypedResponse<JSONParsed<T>, 200, "json">;

/** How an answer may be shared between requests. */
export interface Caching<T> {
  /** Identifies the answer: everything of the request it depends on. */
  key: string;
  /** The symbol whose stored data the answer is read from: writes of other symbols leave it valid. */
  symbol: string;
  /**
   * For an answer that depends on the clock too: the first time (epoch ms) at which it may differ
   * although nothing was written. Without it the answer depends only on the request and the stored data.
   */
  expiresAt?: (answer: T) => Promise<number>;
}

type CacheDeps = { cache: ResponseCache | undefined; store: Store; now: () => number };

const json = (value: unknown) => new Blob([JSON.stringify(value)]);

/**
 * The serialized answer, from `cache` while the store was not written for its symbol since it was built
 * (and before it expires). The read version is taken before `build` reads, so a write racing with the
 * build leaves a miss behind, never a stale answer.
 */
const answerBody = async <T>(
  { cache, store, now }: CacheDeps,
  caching: Caching<T> | undefined,
  build: () => Promise<T>,
): Promise<Blob> => {
  const version = cache && caching ? store.readVersion(caching.symbol) : undefined;
  if (!cache || !caching || version === undefined) return json(await build());
  const cached = cache.get(caching.key, version, now());
  if (cached) return cached;
  const answer = await build();
  const body = json(answer);
  cache.set(caching.key, version, body, await caching.expiresAt?.(answer));
  return body;
};

/** A 200 with the JSON of `build()`, shared between requests as `caching` allows. */
export const cachedJson = async <T>(
  c: Context,
  deps: CacheDeps,
  caching: Caching<T> | undefined,
  build: () => Promise<T>,
): Promise<JsonResponse<T>> => {
  const body = await answerBody(deps, caching, build);
  // Typed as c.json's answer, so the route still checks `build`'s value against its response schema.
  return c.body(body, 200, JSON_HEADERS) as Response as JsonResponse<T>;
};
