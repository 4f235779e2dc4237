import type { SimConfigInput } from "./config.js";
import { Simulator, type SimulatorOptions } from "./simulator.js";
import { readScenarioFile, toScenario } from "./scenario/parse.js";

export { Simulator } from "./simulator.js";
export type { SimConfig, SimConfigInput } from "./config.js";
export { Messages } from "./errors/messages.js";
export { parseScenario, ScenarioError } from "./scenario/parse.js";
export type { Scenario } from "./scenario/schema.js";
export type { ScenarioView } from "./scenario/runner.js";
export { formatReplay, readTape, replayTape, type ReplayResult } from "./record/replay.js";

export interface StartOptions extends SimConfigInput {
  /** A scenario to load once listening: a file path (YAML or JSON) or the document as an object. */
  scenario?: string | Record<string, unknown>;
}

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
 * Logging is silent unless `logLevel` says otherwise. With `scenario`, its world is built and its
 * timeline scheduled before this resolves.
 */
export async function startSimulator(options: StartOptions = {}, opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { scenario: source, ...config } = options;
  const scenario = source === undefined ? undefined : typeof source === "string" ? readScenarioFile(source) : toScenario(source);
  // The scenario's settings (seed, clock, quotas...) apply unless the caller's own say otherwise.
  const simulator = await Simulator.create({ port: 0, logLevel: "silent", ...scenario?.config, ...config }, opts);
  const endpoint = await simulator.listen();
  if (scenario) {
    try {
      await simulator.loadScenario(scenario, { settingsApplied: true });
    } catch (err) {
      await simulator.close();
      throw err;
    }
  }
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    simulator,
    advanceClock: (ms) => simulator.advanceClock(ms),
    reset: () => simulator.reset(),
    close: () => simulator.close(),
  };
}
