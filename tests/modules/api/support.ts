import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApiOptions,
  createApiApp,
  createStreamHub,
  type StreamEvent,
} from "../../../src/modules/api/index.ts";
import { accumulateTrades, MINUTE_MS, toBar, windowStart } from "../../../src/modules/bars/index.ts";
import type { Bar, Trade } from "../../../src/modules/contracts/index.ts";
import { configSchema } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";
import { createRegistry } from "../../../src/runtime/metrics/index.ts";
import { createSqliteStore, migrateSqlite } from "../../../src/runtime/store/sqlite/index.ts";

/** The api options of a default configuration, with overrides. */
export const apiOptions = (overrides: Partial<ApiOptions> = {}): ApiOptions => ({
  ...configSchema.shape.api.parse({}),
  ...overrides,
});

/** An api app over a fresh, migrated SQLite store in a temporary folder. */
export const createApiFixture = (overrides: Partial<ApiOptions> = {}, now?: () => number) => {
  const dir = mkdtempSync(join(tmpdir(), "tickflow-api-"));
  const path = join(dir, "tickflow.db");
  migrateSqlite(path);
  const registry = createRegistry();
  const store = createSqliteStore({ path, registry });
  const options = apiOptions(overrides);
  const hub = createStreamHub(options, registry);
  const app = createApiApp({ options, store, hub, registry, logger: silentLogger(), now });
  const get = (url: string, init?: RequestInit) => app.request(url, init);
  const json = async <T = Record<string, unknown>>(url: string, init?: RequestInit) => {
    const response = await get(url, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  };
  const cleanup = async () => {
    hub.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { app, store, hub, registry, options, path, get, json, cleanup };
};

export type ApiFixture = ReturnType<typeof createApiFixture>;

/** Trades grouped by symbol and window start of `size` ms, each group in (timestamp, seq) order. */
export const tradesByWindow = (trades: readonly Trade[], size: number) => {
  const groups = new Map<string, Map<number, Trade[]>>();
  for (const trade of trades) {
    const bySymbol = groups.get(trade.symbol) ?? new Map<number, Trade[]>();
    groups.set(trade.symbol, bySymbol);
    const t = windowStart(trade.timestamp, size);
    const group = bySymbol.get(t);
    if (group) group.push(trade);
    else bySymbol.set(t, [trade]);
  }
  return groups;
};

/** Bars of `size` ms with their mergeable state computed from trades, by symbol, then window start. */
export const barsOf = (trades: readonly Trade[], size: number, { final = true } = {}): Bar[] =>
  [...tradesByWindow(trades, size)].flatMap(([symbol, windows]) =>
    [...windows].map(([t, group]) =>
      toBar(accumulateTrades(group), { symbol, t, T: t + size, final, rev: 0, updatedAt: t + size }),
    ),
  );

/** Final 1-minute bars with their mergeable state, computed from trades. */
export const minuteBarsOf = (trades: readonly Trade[], options: { final?: boolean } = {}): Bar[] =>
  barsOf(trades, MINUTE_MS, options);

let sequence = 0;

/** A trade of `symbol` at `timestamp`, with a unique id. */
export const trade = (symbol: string, timestamp: number, price: number, volume = 100): Trade => {
  sequence += 1;
  return {
    id: `api-test:${sequence}`,
    symbol,
    price,
    timestamp,
    volume,
    conditions: ["1"],
    processed_at: timestamp + 2,
    source: "test",
    seq: sequence,
  };
};

/** A trade as the processor passes it on, and so as the live stream carries it. */
export const tradeEvent = (value: Trade): Extract<StreamEvent, { kind: "trade" }> => ({
  kind: "trade",
  trade: value,
  outlier: false,
});

/** The 400 body's named parameters. */
export const namedParameters = (body: unknown) =>
  ((body as { error: { details?: { parameter: string }[] } }).error.details ?? []).map(
    (issue) => issue.parameter,
  );
