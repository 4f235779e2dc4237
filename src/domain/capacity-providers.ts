import type { CapacityProvider, CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";
import { InvalidParameterException } from "../errors/aws-errors.js";
import { Messages } from "../errors/messages.js";
import { Arn } from "../state/arn.js";
import type { Scope } from "./scope.js";

/** FARGATE and FARGATE_SPOT always exist; they cannot be created or deleted, only associated. */
export const FARGATE_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
export type FargateProvider = (typeof FARGATE_PROVIDERS)[number];

export function isFargateProvider(name: string): name is FargateProvider {
  return (FARGATE_PROVIDERS as readonly string[]).includes(name);
}

export function describeFargateProvider(scope: Scope, name: FargateProvider): CapacityProvider {
  return {
    capacityProviderArn: Arn.capacityProvider(scope, name),
    name,
    status: "ACTIVE",
    tags: [],
  };
}

/** Normalizes a strategy item the way the API echoes it back (weight and base default to 0). */
export function normalizeStrategy(items: CapacityProviderStrategyItem[]): CapacityProviderStrategyItem[] {
  return items.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight ?? 0, base: i.base ?? 0 }));
}

/** A strategy holds Fargate providers or Auto Scaling group providers, never both (AWS refuses the mix). */
export function checkStrategyMix(items: CapacityProviderStrategyItem[]): void {
  const fargate = items.filter((i) => isFargateProvider(i.capacityProvider ?? "")).length;
  if (fargate > 0 && fargate < items.length) throw new InvalidParameterException(Messages.strategyMixesFargateAndAsg);
}
