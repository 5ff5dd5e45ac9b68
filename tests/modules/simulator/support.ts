import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../../src/modules/simulator/index.ts";
import { loadConfig } from "../../../src/runtime/config/index.ts";
import { silentLogger } from "../../../src/runtime/logger.ts";

/** Simulator options of a configuration with these variables (port 0 unless given). */
export const simulatorOptions = (env: Record<string, string> = {}): SimulatorOptions =>
  loadConfig([], { SIMULATOR_PORT: "0", ...env }).config.simulator;

const running = new Set<Simulator>();

export const launch = async (env: Record<string, string> = {}) => {
  const simulator = await startSimulator(simulatorOptions(env), silentLogger());
  running.add(simulator);
  return simulator;
};

/** Stops every simulator started with `launch`; call from afterEach. */
export const stopAll = async () => {
  await Promise.all([...running].map((simulator) => simulator.handle.stop()));
  running.clear();
};

/** A bare WebSocket client that records every text frame the simulator sends. */
export const connect = async (simulator: Simulator, symbols: readonly string[] = []) => {
  const ws = new WebSocket(`${simulator.url}/?token=${simulator.token}`);
  const frames: string[] = [];
  const closed = Promise.withResolvers<CloseEvent>();
  ws.onmessage = (event) => frames.push(String(event.data));
  ws.onclose = (event) => closed.resolve(event);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("connection failed"));
  });
  for (const symbol of symbols) ws.send(JSON.stringify({ type: "subscribe", symbol }));
  const parsed = () =>
    frames.flatMap((text) => {
      try {
        return [
          JSON.parse(text) as {
            type: string;
            data?: { s: string; p: number; t: number; v: number }[];
            msg?: string;
          },
        ];
      } catch {
        return [];
      }
    });
  const trades = () => parsed().flatMap((frame) => (frame.type === "trade" ? (frame.data ?? []) : []));
  return { ws, frames, parsed, trades, closed: closed.promise, close: () => ws.close() };
};
