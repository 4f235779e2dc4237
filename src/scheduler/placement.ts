import type { CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";

/**
 * Splits tasks across a capacity provider strategy the way ECS describes it: the provider with a
 * `base` gets tasks first, up to its base; the rest follow the weights; weight-0 providers get
 * nothing unless they are the only ones. For a given total the split is the largest-remainder
 * apportionment of the weights (ties go to the provider listed first), so results are
 * deterministic and as close to the ratio as whole tasks allow. Existing counts are honoured, so
 * a service that scales keeps its split.
 */
export function targetSplit(strategy: CapacityProviderStrategyItem[], total: number): Map<string, number> {
  const out = new Map<string, number>(strategy.map((s) => [s.capacityProvider!, 0]));
  if (total <= 0 || strategy.length === 0) return out;
  let remaining = total;
  const baseItem = strategy.find((s) => (s.base ?? 0) > 0);
  if (baseItem) {
    const base = Math.min(baseItem.base ?? 0, remaining);
    out.set(baseItem.capacityProvider!, base);
    remaining -= base;
  }
  if (remaining === 0) return out;
  let weighted = strategy.filter((s) => (s.weight ?? 0) > 0);
  if (weighted.length === 0) weighted = baseItem ? [baseItem] : [strategy[0]!];
  // A lone fallback provider (all weights 0) counts as weight 1.
  const weightOf = (s: CapacityProviderStrategyItem): number => ((s.weight ?? 0) > 0 ? s.weight! : 1);
  const totalWeight = weighted.reduce((sum, s) => sum + weightOf(s), 0);
  const shares = weighted.map((s, index) => {
    const exact = (remaining * weightOf(s)) / totalWeight;
    return { name: s.capacityProvider!, floor: Math.floor(exact), remainder: exact - Math.floor(exact), index };
  });
  let assigned = shares.reduce((sum, s) => sum + s.floor, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; assigned < remaining; i = (i + 1) % byRemainder.length) {
    byRemainder[i]!.floor++;
    assigned++;
  }
  for (const s of shares) out.set(s.name, (out.get(s.name) ?? 0) + s.floor);
  return out;
}

/** Chooses providers for `count` new tasks given how many each provider already has. */
export function placeTasks(
  strategy: CapacityProviderStrategyItem[],
  count: number,
  existing: Map<string, number> = new Map(),
): string[] {
  const existingTotal = [...existing.values()].reduce((a, b) => a + b, 0);
  const target = targetSplit(strategy, existingTotal + count);
  const placed: string[] = [];
  const current = new Map(existing);
  for (let i = 0; i < count; i++) {
    // The provider furthest below its target takes the next task (strategy order breaks ties).
    let best: string | undefined;
    let bestDeficit = -Infinity;
    for (const s of strategy) {
      const name = s.capacityProvider!;
      const deficit = (target.get(name) ?? 0) - (current.get(name) ?? 0);
      if (deficit > bestDeficit) {
        best = name;
        bestDeficit = deficit;
      }
    }
    placed.push(best!);
    current.set(best!, (current.get(best!) ?? 0) + 1);
  }
  return placed;
}
