import type { Config } from "../../../runtime/config/index.ts";
import type { Store } from "../../../runtime/store/index.ts";
import type { ResponseCache } from "../response-cache.ts";

export type ApiOptions = Config["api"];

/** What the query routes need. */
export interface QueryRouteDeps {
  options: ApiOptions;
  store: Store;
  now: () => number;
  /** Answers over settled ranges; absent when caching is off. */
  cache: ResponseCache | undefined;
}
