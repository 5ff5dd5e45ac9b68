/**
 * Tickers, crypto pairs, FX pairs and indices: AAPL, BRK.B, BINANCE:BTCUSDT, OANDA:EUR_USD, ^GSPC. What
 * ingest accepts is what the API can be asked for: a symbol outside it could be stored but never read.
 */
export const symbolPattern = /^[A-Za-z0-9^][A-Za-z0-9.:_^=-]{0,63}$/;
