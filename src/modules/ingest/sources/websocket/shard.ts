import { TickflowError } from "../../../../runtime/errors.ts";

/** The symbols one connection (one API key) subscribes to. */
export interface Shard {
  /** 0-based connection number, the `connection` label of `websocket_connected`. */
  index: number;
  /** 1-based position of the key in its variable, for messages that must not show the key. */
  keyNumber: number;
  token: string;
  symbols: string[];
}

/**
 * Spreads the symbols round-robin over one connection per key (Finnhub allows one connection per key),
 * each holding at most `perConnection`. Too few keys for the symbols is a configuration error, reported
 * at start rather than as a stream of refused subscriptions.
 */
export const shardSymbols = (
  symbols: readonly string[],
  tokens: readonly string[],
  perConnection: number,
  credential: string,
): Shard[] => {
  const unique = [...new Set(symbols)];
  if (unique.length === 0)
    throw new TickflowError("CONFIG_INVALID", "SYMBOLS is empty: nothing to subscribe to");
  if (tokens.length === 0) throw new TickflowError("CONFIG_INVALID", `${credential} is not set`);
  const connections = Math.min(tokens.length, unique.length);
  if (unique.length > connections * perConnection) {
    const needed = Math.ceil(unique.length / perConnection);
    throw new TickflowError(
      "CONFIG_INVALID",
      `${unique.length} symbols need ${needed} API keys at ${perConnection} symbols per connection ` +
        `(FINNHUB_SYMBOLS_PER_CONNECTION), but ${credential} has ${tokens.length}`,
    );
  }
  const shards: Shard[] = Array.from({ length: connections }, (_, index) => ({
    index,
    keyNumber: index + 1,
    token: tokens[index]!,
    symbols: [],
  }));
  for (const [i, symbol] of unique.entries()) shards[i % connections]!.symbols.push(symbol);
  return shards;
};
