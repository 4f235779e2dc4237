import type { StrategyRule } from "./validate.js";
import type { CandidateInstance, TaskRequirements } from "./types.js";

/**
 * Strategies rank the instances that passed every check. Each rule gives an instance a score
 * (lower is better); rules compare in the order given, a later rule only breaking the ties of the
 * earlier ones, and what is still tied goes to the instance listed first in the snapshot.
 */
const MISSING = "\u0000missing";

type SpreadRule = Extract<StrategyRule, { type: "spread" }>;

function spreadValue(instance: CandidateInstance, rule: SpreadRule): string {
  if (rule.field.kind === "instance") return instance.arn;
  const value = instance.attributes[rule.field.name];
  return value === undefined ? MISSING : (value ?? "");
}

/**
 * Ranks instances for the tasks of one placement call. Spread counts (tasks of the group per
 * field value, over every instance of the snapshot, eligible or not) are tallied once and then
 * kept up to date as tasks are placed, so each pick costs one pass over the eligible instances.
 */
export class StrategyRanker {
  private readonly tallies: Map<string, number>[];

  constructor(
    private readonly rules: readonly StrategyRule[],
    all: readonly CandidateInstance[],
    private readonly req: TaskRequirements,
    private readonly random: () => number,
  ) {
    this.tallies = rules.map((rule) => {
      const counts = new Map<string, number>();
      if (rule.type !== "spread") return counts;
      for (const instance of all) {
        const inGroup = instance.tasks.filter((t) => t.group === req.group).length;
        const value = spreadValue(instance, rule);
        counts.set(value, (counts.get(value) ?? 0) + inGroup);
      }
      return counts;
    });
  }

  private score(instance: CandidateInstance, index: number): number {
    const rule = this.rules[index]!;
    switch (rule.type) {
      case "binpack":
        // Least left over after this task: fill the fullest instance first.
        return rule.field === "cpu" ? instance.remaining.cpu - this.req.cpu : instance.remaining.memory - this.req.memory;
      case "spread":
        return this.tallies[index]!.get(spreadValue(instance, rule)) ?? 0;
      case "random":
        return this.random();
    }
  }

  /** The best of the eligible instances (given in snapshot order). */
  best(eligible: readonly CandidateInstance[]): CandidateInstance {
    const width = this.rules.length;
    if (width === 0) return eligible[0]!;
    // Every rule scores every instance, in snapshot order, so random draws do not depend on ties.
    const scores = new Float64Array(eligible.length * width);
    for (let i = 0; i < eligible.length; i++) {
      for (let r = 0; r < width; r++) scores[i * width + r] = this.score(eligible[i]!, r);
    }
    let best = 0;
    for (let i = 1; i < eligible.length; i++) {
      for (let r = 0; r < width; r++) {
        const d = scores[i * width + r]! - scores[best * width + r]!;
        if (d < 0) best = i;
        if (d !== 0) break;
      }
    }
    return eligible[best]!;
  }

  /** Counts a task of the group placed on the instance. */
  placed(instance: CandidateInstance): void {
    this.rules.forEach((rule, index) => {
      if (rule.type !== "spread") return;
      const value = spreadValue(instance, rule);
      this.tallies[index]!.set(value, (this.tallies[index]!.get(value) ?? 0) + 1);
    });
  }
}
