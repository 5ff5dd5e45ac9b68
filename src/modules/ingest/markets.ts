/**
 * The trading calendar a symbol follows, the `market` label of `subscribed_symbols`. Prometheus knows
 * when each market is open (recording rule `tickflow:market_open`), so stale-data alerts stay quiet
 * overnight and at weekends for the markets that close.
 * - `crypto`: venues that trade 24/7.
 * - `fx`: the interbank week, Sunday evening to Friday evening.
 * - `us_equity`: a plain ticker (`AAPL`), Finnhub's notation for US-listed stocks.
 * - `unknown`: any other `VENUE:` prefix; no calendar, so never reported stale.
 */
export type Market = "crypto" | "fx" | "us_equity" | "unknown";

const crypto = [
  "BINANCE",
  "BINANCEUS",
  "BITFINEX",
  "BITMEX",
  "BITSTAMP",
  "BITTREX",
  "COINBASE",
  "GEMINI",
  "HITBTC",
  "HUOBI",
  "KRAKEN",
  "KUCOIN",
  "OKEX",
  "POLONIEX",
];
const fx = ["OANDA", "FXCM", "FOREX.COM", "FXPRO", "IC MARKETS", "ICMTRADER", "PEPPERSTONE", "SAXO"];
const venues = new Map<string, Market>([
  ...crypto.map((venue) => [venue, "crypto"] as const),
  ...fx.map((venue) => [venue, "fx"] as const),
]);

/** The market of a Finnhub symbol: `VENUE:PAIR` by its venue, a plain ticker as a US stock. */
export const marketOf = (symbol: string): Market => {
  const colon = symbol.indexOf(":");
  if (colon === -1) return "us_equity";
  return venues.get(symbol.slice(0, colon).toUpperCase()) ?? "unknown";
};
