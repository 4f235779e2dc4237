import type { Scope } from "../domain/scope.js";

/**
 * Whether a capacity provider can take a task right now. Returns the RunTask failure reason when
 * it cannot (capacity shortages); undefined when capacity is there.
 */
export interface CapacityGate {
  check(scope: Scope, provider: string): string | undefined;
}

export const ALWAYS_AVAILABLE: CapacityGate = { check: () => undefined };

/** What the task scheduler must know of capacity providers backed by Auto Scaling groups. */
export interface AutoScalingProviders {
  /** Whether the provider is an Auto Scaling group provider (not FARGATE or FARGATE_SPOT). */
  isAutoScaling(scope: Scope, name: string): boolean;
  /** Whether a task that finds no room waits in PROVISIONING for the group to grow (managed scaling on). */
  waitsForCapacity(scope: Scope, name: string): boolean;
}

/** Until Auto Scaling groups are configured: every provider but Fargate's is one, and none scales. */
export const NO_MANAGED_SCALING: AutoScalingProviders = {
  isAutoScaling: (_scope, name) => name !== "FARGATE" && name !== "FARGATE_SPOT",
  waitsForCapacity: () => false,
};
