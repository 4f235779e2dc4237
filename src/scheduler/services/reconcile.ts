import type { Service } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { Messages } from "../../errors/messages.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { HealthJudge } from "./health.js";
import { internalOf } from "./internal.js";
import type { RollingDeployments } from "./rolling.js";
import type { ServiceEvents } from "./service-events.js";
import { taskSetsDesired, type TaskSets } from "./task-sets.js";
import type { Targets } from "./targets.js";
import type { ServiceInternal } from "./types.js";

/**
 * One reconcile pass of one service. The order matters: stops and health are accounted before the
 * circuit breaker looks, the breaker before the rollout, and the views are refreshed last.
 */
export function createReconciler(deps: {
  clock: Clock;
  logger: Logger;
  drainingMs: number;
  ownedTasks: (record: ServiceRecord) => TaskRecord[];
  view: (record: ServiceRecord) => Service;
  health: HealthJudge;
  breaker: CircuitBreaker;
  rolling: RollingDeployments;
  taskSets: TaskSets;
  targets: Targets;
  events: ServiceEvents;
}) {
  const { breaker, rolling, events } = deps;

  function reconcile(record: ServiceRecord): void {
    const internal = internalOf(record);
    const now = deps.clock.now();
    const tasks = deps.ownedTasks(record);
    prune(internal, tasks);
    breaker.accountStops(record, tasks, now);
    breaker.markHealth(record, tasks, now);
    breaker.enforceContainerHealth(record, tasks, now);

    if (internal.controller === "ECS") {
      breaker.checkCircuitBreaker(record, now);
      rolling.rollDeployments(record, tasks, now);
      rolling.retireDeployments(record, tasks, now);
      rolling.checkCompletion(record, tasks, now);
    } else {
      deps.taskSets.reconcile(record, tasks, now);
    }
    deps.targets.syncTargets(record, tasks);
    checkSteady(record, tasks, now);
    checkDrained(record, tasks, now);
    snapshot(record);
  }

  /** Logs the steady-state event once per stretch of stability. */
  function checkSteady(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    if (s.status !== "ACTIVE") return;
    const desired = s.desiredCount ?? 0;
    const notStopped = tasks.filter((r) => r.task.lastStatus !== "STOPPED");
    const allSettled =
      notStopped.length === (internal.controller === "ECS" ? desired : taskSetsDesired(record)) &&
      notStopped.every((r) => r.task.desiredStatus === "RUNNING" && deps.health.healthy(record, r, now));
    let stable: boolean;
    if (internal.controller === "ECS") {
      const primary = internal.deployments[0];
      stable = internal.deployments.length === 1 && primary?.rolloutState === "COMPLETED" && allSettled;
    } else {
      stable = allSettled && internal.taskSets.every((t) => t.stabilityStatus === "STEADY_STATE");
    }
    if (!stable) {
      internal.steady = false;
      return;
    }
    if (internal.steady) return;
    internal.steady = true;
    events.event(record, Messages.svcSteadyState(s.serviceName!));
    events.publishAction(record, "INFO", "SERVICE_STEADY_STATE");
  }

  /** A DRAINING service becomes INACTIVE `drainingMs` after its last task stopped. */
  function checkDrained(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    if (s.status !== "DRAINING") return;
    if (tasks.some((r) => r.task.lastStatus !== "STOPPED")) {
      delete internal.drainedAt;
      return;
    }
    internal.drainedAt ??= now;
    if (now - internal.drainedAt < deps.drainingMs) return;
    s.status = "INACTIVE";
    for (const d of internal.deployments) d.updatedAt = now;
    internal.taskSets = [];
    record.taskSets = [];
    deps.targets.closeDoors(record);
    deps.logger.info(`service ${s.serviceName} is INACTIVE`, { cluster: record.clusterName });
  }

  /** Keeps the stored Service (what GET /_sim/state dumps) in step with what DescribeServices shows. */
  function snapshot(record: ServiceRecord): void {
    const v = deps.view(record);
    const s = record.service;
    s.runningCount = v.runningCount;
    s.pendingCount = v.pendingCount;
    s.deployments = v.deployments;
    s.taskSets = v.taskSets;
    s.events = v.events;
  }

  return reconcile;
}

/** Forgets tasks the store no longer holds (STOPPED tasks expire), so long-lived services stay small. */
function prune(internal: ServiceInternal, tasks: TaskRecord[]): void {
  const limit = 2 * tasks.length + 200;
  if (internal.accounted.size + internal.everHealthy.size + internal.schedulerStopped.size <= 3 * limit) return;
  const present = new Set(tasks.map((r) => r.task.taskArn!));
  for (const set of [internal.accounted, internal.everHealthy, internal.schedulerStopped]) {
    for (const arn of set) if (!present.has(arn)) set.delete(arn);
  }
}
