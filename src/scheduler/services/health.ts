import type { Scope } from "../../domain/scope.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";

export type HealthJudge = ReturnType<typeof createHealthJudge>;

/** When a service's task counts as healthy for its deployment. */
export function createHealthJudge(deps: { taskDefinitions: TaskDefinitionRegistry; healthyAfterMs: number }) {
  // A definition's health checks never change once registered: look each up once.
  const withHealthChecks = new Map<string, boolean>();

  function hasHealthChecks(scope: Scope, taskDefinitionArn: string): boolean {
    let cached = withHealthChecks.get(taskDefinitionArn);
    if (cached === undefined) {
      const def = deps.taskDefinitions.find(scope, taskDefinitionArn)?.record.definition;
      cached = (def?.containerDefinitions ?? []).some((c) => (c.essential ?? true) && c.healthCheck);
      withHealthChecks.set(taskDefinitionArn, cached);
    }
    return cached;
  }

  /**
   * RUNNING and meant to run, and HEALTHY when its essential containers have health checks;
   * without health checks, after `healthyAfterMs` of RUNNING (AWS: 40 s).
   */
  function healthy(record: ServiceRecord, r: TaskRecord, now: number): boolean {
    const t = r.task;
    if (t.lastStatus !== "RUNNING" || t.desiredStatus !== "RUNNING") return false;
    if (t.healthStatus === "HEALTHY") return true;
    if (hasHealthChecks(internalOf(record).scope, t.taskDefinitionArn!)) return false;
    return now - (t.startedAt?.getTime() ?? now) >= deps.healthyAfterMs;
  }

  return { healthy, forget: () => withHealthChecks.clear() };
}
