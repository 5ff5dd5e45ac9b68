/** A Finnhub-compatible WebSocket server for dev mode and tests (token, subscriptions, pings, faults). */
export { type Simulator, type SimulatorOptions, startSimulator } from "./server.ts";
