import type { Config } from "../../../runtime/config/index.ts";
import type { Store } from "../../../runtime/store/index.ts";

export type ApiOptions = Config["api"];

/** What the query routes need. */
export interface QueryRouteDeps {
  options: ApiOptions;
  store: Store;
  now: () => number;
}
