import type { StrategyRule } from "./validate.js";
import type { CandidateInstance, TaskRequirements } from "./types.js";

/**
 * Strategies rank the instances that passed every check. Each rule gives an instance a score
 * (lower is better); rules compare in the order given, a later rule only breaking the ties of the
 * earlier ones, and what is still tied goes to the instance listed first in the snapshot.
 */
const MISSING = "\u0000missing";

function spreadValue(instance: CandidateInstance, rule: Extract<StrategyRule, { type: "spread" }>): string {
  if (rule.field.kind === "instance") return instance.arn;
  const value = instance.attributes[rule.field.name];
  return value === undefined ? MISSING : (value ?? "");
}

/** Tasks of the group per field value, over every instance of the snapshot (eligible or not). */
function spreadCounts(
  all: readonly CandidateInstance[],
  rule: Extract<StrategyRule, { type: "spread" }>,
  group: string | undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const instance of all) {
    const value = spreadValue(instance, rule);
    const inGroup = instance.tasks.filter((t) => t.group === group).length;
    counts.set(value, (counts.get(value) ?? 0) + inGroup);
  }
  return counts;
}

/** Scores per eligible instance, one column per rule. */
export function rankInstances(
  eligible: readonly CandidateInstance[],
  all: readonly CandidateInstance[],
  rules: readonly StrategyRule[],
  req: TaskRequirements,
  random: () => number,
): CandidateInstance[] {
  const columns = rules.map((rule): number[] => {
    switch (rule.type) {
      case "binpack":
        // Least left over after this task: fill the fullest instance first.
        return eligible.map((i) => (rule.field === "cpu" ? i.remaining.cpu - req.cpu : i.remaining.memory - req.memory));
      case "spread": {
        const counts = spreadCounts(all, rule, req.group);
        return eligible.map((i) => counts.get(spreadValue(i, rule)) ?? 0);
      }
      case "random":
        return eligible.map(() => random());
    }
  });
  const order = eligible.map((_, index) => index);
  order.sort((a, b) => {
    for (const column of columns) {
      const d = column[a]! - column[b]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  return order.map((index) => eligible[index]!);
}
