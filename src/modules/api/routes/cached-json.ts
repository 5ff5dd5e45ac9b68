import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { Store } from "../../../runtime/store/index.ts";
import type { ResponseCache } from "../response-cache.ts";

const JSON_HEADERS = { "content-type": "application/json" };

type JsonResponse<T> = Response & TypedResponse<JSONParsed<T>, 200, "json">;

/**
 * A 200 with the JSON of `build()`. With a `key` (the answer depends only on the request and the stored
 * data, not on the clock) it comes from `cache` while the store was not written since it was built. The
 * read version is taken before `build` reads, so a write racing with the build leaves a miss behind, never
 * a stale answer.
 */
export const cachedJson = async <T>(
  c: Context,
  { cache, store }: { cache: ResponseCache | undefined; store: Store },
  key: string | undefined,
  build: () => Promise<T>,
): Promise<JsonResponse<T>> => {
  const version = cache && key !== undefined ? store.readVersion() : undefined;
  let body = cache && key !== undefined && version !== undefined ? cache.get(key, version) : undefined;
  if (!body) {
    body = new Blob([JSON.stringify(await build())]);
    if (key !== undefined && version !== undefined) cache?.set(key, version, body);
  }
  // Typed as c.json's answer, so the route still checks `build`'s value against its response schema.
  return c.body(body, 200, JSON_HEADERS) as Response as JsonResponse<T>;
};
