import type { SeededRandom } from "../core/random.js";
import type { ChaosRule } from "./config.js";

export type ChaosOutcome = "throttle" | "server-error" | undefined;

/**
 * Decides whether to inject a fault into one call. Exactly one draw from the seeded generator per
 * call that has a non-zero rule, and none otherwise, so turning chaos on for one operation does
 * not shift the random stream (ids, jitter) of runs that never call it.
 */
export function drawChaos(random: SeededRandom, rule: ChaosRule | undefined): ChaosOutcome {
  if (!rule) return undefined;
  const throttle = rule.throttleProbability;
  const server = rule.serverErrorProbability;
  if (throttle <= 0 && server <= 0) return undefined;
  const r = random.float();
  if (r < throttle) return "throttle";
  if (r < throttle + server) return "server-error";
  return undefined;
}

/** The rule for an operation: its own entry, else the "*" entry. */
export function chaosRuleFor(chaos: Record<string, ChaosRule>, operation: string): ChaosRule | undefined {
  return Object.hasOwn(chaos, operation) ? chaos[operation] : chaos["*"];
}
