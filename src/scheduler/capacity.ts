import type { Scope } from "../domain/scope.js";

/**
 * Whether a capacity provider can take a task right now. Returns the RunTask failure reason when
 * it cannot (capacity shortages); undefined when capacity is there.
 */
export interface CapacityGate {
  check(scope: Scope, provider: string): string | undefined;
}

export const ALWAYS_AVAILABLE: CapacityGate = { check: () => undefined };
