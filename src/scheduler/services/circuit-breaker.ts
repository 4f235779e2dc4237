import type { Task } from "@aws-sdk/client-ecs";
import type { Logger } from "../../core/logger.js";
import { Messages } from "../../errors/messages.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import type { TaskScheduler } from "../tasks.js";
import type { ServicesConfig } from "./config.js";
import { breakerThreshold, endServiceDeployment, rollbackTarget, type Deployments } from "./deployments.js";
import type { HealthJudge } from "./health.js";
import { internalOf, primaryOf, serviceDeploymentOf } from "./internal.js";
import { taskIdOfArn } from "./naming.js";
import type { ServiceEvents } from "./service-events.js";

/** Stop codes that are not the task's own failure: they never count toward the circuit breaker. */
const EXTERNAL_STOPS = new Set(["UserInitiated", "SpotInterruption", "TerminationNotice", "ServiceSchedulerInitiated"]);

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

/**
 * How task failures count: toward the deployment circuit breaker and toward the
 * start back-off of a service that cannot keep its tasks up. A task that became healthy once is
 * no failure, whatever happens to it later.
 */
export function createCircuitBreaker(deps: {
  config: ServicesConfig;
  logger: Logger;
  events: ServiceEvents;
  tasks: Pick<TaskScheduler, "stopBySystem">;
  health: HealthJudge;
  deployments: Deployments;
}) {
  const { events } = deps;

  /** First sight of a task meant to stop: failures feed the circuit breaker and the start back-off. */
  function accountStops(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const name = record.service.serviceName!;
    for (const r of tasks) {
      const t = r.task;
      const arn = t.taskArn!;
      if (t.desiredStatus !== "STOPPED" || internal.accounted.has(arn)) continue;
      internal.accounted.add(arn);
      internal.steady = false;
      if (internal.schedulerStopped.has(arn)) continue;
      if (t.stopCode === "TaskFailedToStart" && t.stoppedReason) {
        events.event(record, Messages.svcUnableToPlace(name, t.stoppedReason));
      }
      const failed = !internal.everHealthy.has(arn) && !EXTERNAL_STOPS.has(t.stopCode ?? "");
      if (failed) recordFailure(record, t, now);
    }
  }

  function recordFailure(record: ServiceRecord, t: Task, now: number): void {
    const internal = internalOf(record);
    const dep = internal.deployments.find((d) => d.id === t.startedBy);
    if (dep && !dep.breakerSettled && dep.rolloutState === "IN_PROGRESS") {
      dep.failedTasks++;
      dep.updatedAt = now;
      const sd = serviceDeploymentOf(internal, dep);
      if (sd && sd.breaker.status === "MONITORING") sd.breaker.failureCount = dep.failedTasks;
    }
    internal.consecutiveFailures++;
    const cfg = deps.config;
    if (internal.consecutiveFailures < cfg.startFailureThreshold) return;
    const steps = internal.consecutiveFailures - cfg.startFailureThreshold;
    const delay = Math.min(cfg.startFailureBackoffMaxMs, cfg.startFailureBackoffMs * 2 ** Math.min(steps, 30));
    internal.nextLaunchAt = Math.max(internal.nextLaunchAt, now + delay);
    if (!internal.startImpaired) {
      internal.startImpaired = true;
      events.event(record, Messages.svcStartImpaired(record.service.serviceName!));
      events.publishAction(record, "WARN", "SERVICE_TASK_START_IMPAIRED");
    }
  }

  /** A task's first healthy moment ends the failure streak and, by default, the breaker's watch. */
  function markHealth(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const r of tasks) {
      const arn = r.task.taskArn!;
      if (internal.everHealthy.has(arn) || !deps.health.healthy(record, r, now)) continue;
      internal.everHealthy.add(arn);
      internal.consecutiveFailures = 0;
      internal.startImpaired = false;
      const dep = internal.deployments.find((d) => d.id === r.task.startedBy);
      const resetOnHealthy = record.service.deploymentConfiguration?.deploymentCircuitBreaker?.resetOnHealthyTask ?? true;
      if (dep && !dep.breakerSettled && resetOnHealthy) {
        dep.breakerSettled = true;
        dep.failedTasks = 0;
      }
    }
  }

  /** Tasks whose container health checks failed after the grace period are replaced. */
  function enforceContainerHealth(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const graceMs = (record.service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    for (const r of tasks) {
      const t = r.task;
      if (t.desiredStatus !== "RUNNING" || t.lastStatus !== "RUNNING" || t.healthStatus !== "UNHEALTHY") continue;
      if (now - (t.startedAt?.getTime() ?? now) < graceMs) continue;
      const name = record.service.serviceName!;
      events.event(record, Messages.svcTaskFailedHealthChecks(name, taskIdOfArn(t.taskArn!)));
      internal.schedulerStopped.add(t.taskArn!);
      internal.accounted.add(t.taskArn!);
      deps.tasks.stopBySystem(t.taskArn!, "ServiceSchedulerInitiated", Messages.taskFailedContainerHealthChecks);
      events.event(record, Messages.svcStoppedTasks(name, [taskIdOfArn(t.taskArn!)]));
      if (!internal.everHealthy.has(t.taskArn!)) recordFailure(record, t, now);
      internal.steady = false;
    }
  }

  /** Fails the PRIMARY deployment once enough of its tasks failed, and rolls back when configured to. */
  function checkCircuitBreaker(record: ServiceRecord, now: number): void {
    const internal = internalOf(record);
    const primary = primaryOf(internal);
    const breaker = record.service.deploymentConfiguration?.deploymentCircuitBreaker;
    if (!primary || !breaker?.enable || primary.rolloutState !== "IN_PROGRESS" || primary.breakerSettled) return;
    if (primary.failedTasks < breakerThreshold(record.service.desiredCount ?? 0)) return;

    const name = record.service.serviceName!;
    primary.rolloutState = "FAILED";
    primary.rolloutStateReason = Messages.circuitBreakerTasksFailed;
    primary.updatedAt = now;
    events.event(record, Messages.svcDeploymentFailed(name));
    events.publishDeployment(record, "ERROR", "SERVICE_DEPLOYMENT_FAILED", primary.id, Messages.circuitBreakerTaskFailedEvent);
    deps.logger.warn(`service ${name}: deployment ${primary.id} failed (circuit breaker, ${primary.failedTasks} failed tasks)`);
    const sd = serviceDeploymentOf(internal, primary);
    if (sd) {
      sd.breaker = { ...sd.breaker, status: "TRIGGERED", failureCount: primary.failedTasks };
      sd.updatedAt = now;
    }
    const last = breaker.rollback ? rollbackTarget(internal, primary) : undefined;
    if (last) {
      events.event(record, Messages.svcRollingBack(name, last.deploymentId));
      const why = { statusReason: Messages.circuitBreakerTasksFailed, rollbackReason: Messages.circuitBreakerRollingBack(last.deploymentId) };
      deps.deployments.rollBack(record, primary, last, sd, why, now);
    } else if (sd) {
      endServiceDeployment(sd, breaker.rollback ? "ROLLBACK_FAILED" : "STOPPED", Messages.circuitBreakerTasksFailed, now);
    }
  }

  return { accountStops, markHealth, enforceContainerHealth, checkCircuitBreaker };
}
