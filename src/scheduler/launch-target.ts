import type { CapacityProviderStrategyItem, Cluster, TaskDefinition } from "@aws-sdk/client-ecs";
import { InvalidParameterException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { checkStrategyMix, isFargateProvider, normalizeStrategy } from "../domain/capacity-providers.js";

export type LaunchTarget =
  | { kind: "launchType"; launchType: "FARGATE" | "EC2" | "EXTERNAL" }
  | { kind: "strategy"; strategy: CapacityProviderStrategyItem[] };

/**
 * Resolution order as ECS documents it: an explicit strategy XOR a launch type; neither means the
 * cluster's default strategy, and without one, the EC2 launch type (`defaultLaunchType` in the
 * configuration can make that FARGATE for code that was tested against the simulator's old default).
 */
export function resolveLaunchTarget(
  cluster: Cluster,
  launchType: string | undefined,
  strategy: CapacityProviderStrategyItem[] | undefined,
  fallback: "EC2" | "FARGATE" = "EC2",
): LaunchTarget {
  const explicit = strategy && strategy.length > 0 ? normalizeStrategy(strategy) : undefined;
  if (launchType && explicit) throw new InvalidParameterException(Messages.launchTypeAndStrategy);
  if (explicit) {
    validateStrategy(cluster, explicit);
    return { kind: "strategy", strategy: explicit };
  }
  if (launchType) return { kind: "launchType", launchType: launchType as "FARGATE" | "EC2" | "EXTERNAL" };
  const clusterDefault = cluster.defaultCapacityProviderStrategy ?? [];
  if (clusterDefault.length > 0) return { kind: "strategy", strategy: clusterDefault };
  return { kind: "launchType", launchType: fallback };
}

export function validateStrategy(cluster: Cluster, strategy: CapacityProviderStrategyItem[]): void {
  const associated = cluster.capacityProviders ?? [];
  for (const item of strategy) {
    if (!associated.includes(item.capacityProvider ?? "")) {
      throw new InvalidParameterException(Messages.capacityProviderNotAssociated);
    }
  }
  checkStrategyMix(strategy);
  if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) throw new InvalidParameterException(Messages.strategyOneBase);
  if (strategy.every((s) => (s.weight ?? 0) === 0) && strategy.length > 1) {
    throw new InvalidParameterException(Messages.strategyAllZeroWeights);
  }
}

/**
 * Whether the definition may run with the target's launch type: FARGATE and FARGATE_SPOT are
 * Fargate; every other capacity provider is an Auto Scaling group of EC2 instances.
 */
export function checkCompatibility(def: TaskDefinition, target: LaunchTarget): void {
  const launchType =
    target.kind === "launchType"
      ? target.launchType
      : target.strategy.every((s) => isFargateProvider(s.capacityProvider ?? ""))
        ? "FARGATE"
        : "EC2";
  if (!(def.compatibilities ?? []).includes(launchType)) {
    throw new InvalidParameterException(Messages.launchTypeNotSupported(launchType));
  }
}
