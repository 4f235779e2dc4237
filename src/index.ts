import type { SimConfigInput } from "./config.js";
import { Simulator, type SimulatorOptions } from "./simulator.js";

export { Simulator } from "./simulator.js";
export type { SimConfig, SimConfigInput } from "./config.js";
export { Messages } from "./errors/messages.js";

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:53412 — give it to an SDK as `endpoint`. */
  endpoint: string;
  port: number;
  simulator: Simulator;
  /** Moves the virtual clock (start with `clock: "virtual"`). */
  advanceClock(ms: number): Promise<number>;
  /** Wipes all state between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a simulator in-process on a free port (unless `port` is given) for test suites.
 * Logging is silent unless `logLevel` says otherwise.
 */
export async function startSimulator(config: SimConfigInput = {}, opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = await Simulator.create({ port: 0, logLevel: "silent", ...config }, opts);
  const endpoint = await simulator.listen();
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    simulator,
    advanceClock: (ms) => simulator.advanceClock(ms),
    reset: () => simulator.reset(),
    close: () => simulator.close(),
  };
}
