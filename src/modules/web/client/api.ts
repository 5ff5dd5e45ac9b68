import type { PageEndpoint } from "../telemetry-names.ts";
import type { Telemetry } from "./telemetry.ts";
import type { TokenStore } from "./token.ts";

/** An API answer other than 2xx and 401. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    endpoint: PageEndpoint,
  ) {
    super(`${endpoint} request failed with HTTP ${status}`);
  }
}

/** GETs of `/v1` with the bearer token, each timed for telemetry. A 401 asks for the token again. */
export class ApiClient {
  constructor(
    private readonly tokens: TokenStore,
    private readonly telemetry: Telemetry,
  ) {}

  async get<T>(path: string, endpoint: PageEndpoint): Promise<T> {
    for (;;) {
      const token = await this.tokens.token();
      const started = performance.now();
      const response = await fetch(path, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      this.telemetry.timed(endpoint, performance.now() - started);
      if (response.status === 401) {
        this.tokens.rejected(token);
        continue;
      }
      if (!response.ok) throw new ApiError(response.status, endpoint);
      return (await response.json()) as T;
    }
  }

  /**
   * The URL of the event stream of `symbols`. EventSource cannot send headers, so the token goes in the
   * `access_token` parameter the API accepts for that reason.
   */
  async streamUrl(symbols: readonly string[]): Promise<string> {
    const params = new URLSearchParams({ symbols: symbols.join(",") });
    const token = await this.tokens.token();
    if (token !== undefined) params.set("access_token", token);
    return `/v1/stream?${params}`;
  }
}
