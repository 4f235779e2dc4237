import type { PlacementStrategy } from "@aws-sdk/client-ecs";
import { compileStrategies, type StrategyRule } from "./validate.js";
import type { CandidateInstance } from "./types.js";

/** A running task a service could stop, with what it holds on its instance. */
export interface StoppableTask {
  taskArn: string;
  instanceArn: string;
  cpu: number;
  memory: number;
}

function fieldValue(instance: CandidateInstance | undefined, rule: Extract<StrategyRule, { type: "spread" }>, arn: string): string {
  if (rule.field.kind === "instance") return arn;
  return instance?.attributes[rule.field.name] ?? "\u0000missing";
}

/**
 * Which tasks a scale-in stops, as the strategies describe it (developer guide, strategy types):
 * `spread` keeps the field's values balanced (a task from the value with the most tasks goes
 * first); `binpack` stops the task whose instance has the most of the resource free once it is
 * gone; `random` draws. Rules chain as for placement; remaining ties are drawn at random ("within
 * an Availability Zone, tasks are selected at random"), from the given source.
 */
export function chooseTasksToStop(
  instances: readonly CandidateInstance[],
  tasks: readonly StoppableTask[],
  count: number,
  strategies: readonly PlacementStrategy[],
  random: () => number,
): string[] {
  const rules = compileStrategies(strategies);
  const byArn = new Map(instances.map((i) => [i.arn, { cpu: i.remaining.cpu, memory: i.remaining.memory, instance: i }]));
  let left = [...tasks];
  const stopped: string[] = [];

  while (stopped.length < count && left.length > 0) {
    const tallies = rules.map((rule) => {
      const counts = new Map<string, number>();
      if (rule.type !== "spread") return counts;
      for (const t of left) {
        const value = fieldValue(byArn.get(t.instanceArn)?.instance, rule, t.instanceArn);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      return counts;
    });
    const scores = left.map((t) => {
      const free = byArn.get(t.instanceArn);
      const row = rules.map((rule, index) => {
        switch (rule.type) {
          case "spread":
            return -(tallies[index]!.get(fieldValue(free?.instance, rule, t.instanceArn)) ?? 0);
          case "binpack":
            return -((free?.[rule.field] ?? 0) + t[rule.field]);
          case "random":
            return random();
        }
      });
      row.push(random());
      return row;
    });
    let best = 0;
    for (let i = 1; i < left.length; i++) {
      for (let r = 0; r < scores[i]!.length; r++) {
        const d = scores[i]![r]! - scores[best]![r]!;
        if (d < 0) best = i;
        if (d !== 0) break;
      }
    }
    const victim = left[best]!;
    stopped.push(victim.taskArn);
    const free = byArn.get(victim.instanceArn);
    if (free) {
      free.cpu += victim.cpu;
      free.memory += victim.memory;
    }
    left = left.filter((_, i) => i !== best);
  }
  return stopped;
}
