import { Messages } from "../../errors/messages.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import type { HealthJudge } from "./health.js";
import { internalOf, primaryOf, serviceDeploymentOf } from "./internal.js";
import type { Launcher } from "./launcher.js";
import type { ServiceEvents } from "./service-events.js";
import { isDaemon, type InstancePlacement } from "./instance-placement.js";
import { byScaleInOrder, isLive, OCCUPYING } from "./service-tasks.js";

export type RollingDeployments = ReturnType<typeof createRollingDeployments>;

/** The deployment steps of an ECS-controller service's reconcile pass: roll, retire, complete. */
export function createRollingDeployments(deps: { health: HealthJudge; launcher: Launcher; events: ServiceEvents; placement: InstancePlacement }) {
  const { launcher, events, placement } = deps;

  /**
   * The rolling step: start PRIMARY tasks within maximumPercent (rounded down),
   * stop tasks of older deployments while the healthy count stays at or above
   * minimumHealthyPercent (rounded up), and scale the PRIMARY in or out.
   */
  function rollDeployments(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const s = record.service;
    const primary = primaryOf(internal);
    const liveTasks = tasks.filter(isLive);
    if (s.status !== "ACTIVE" || !primary) {
      launcher.stop(record, liveTasks);
      return;
    }
    // A failed deployment without rollback launches nothing; its own tasks go, the rest stays.
    if (primary.rolloutState === "FAILED") return;
    const members = isDaemon(record) ? daemonDesiredCount(record, primary.config) : undefined;
    const desired = s.desiredCount ?? 0;
    // Tasks that must leave their instance (DRAINING, or a daemon's instance it no longer belongs
    // on) are replaced like an older deployment's: within minimumHealthyPercent and maximumPercent.
    const displaced = placement.displaced(record, liveTasks, members);
    const pLive = liveTasks.filter((r) => r.task.startedBy === primary.id && !displaced.has(r));
    if (internal.deployments.length === 1 && displaced.size === 0) {
      launcher.scaleTo(record, primary, pLive, desired, now);
      return;
    }

    const primaryLive = new Set(pLive);
    const others = liveTasks.filter((r) => !primaryLive.has(r));
    const cfg = s.deploymentConfiguration ?? {};
    const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);
    const maxTotal = Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100);
    const isHealthy = (r: TaskRecord) => deps.health.healthy(record, r, now);
    const toStop: TaskRecord[] = [];
    let budget = liveTasks.filter(isHealthy).length - minHealthy;
    // Older tasks that are not healthy never count toward the minimum: replace them first.
    for (const r of [...others].sort(byScaleInOrder(isHealthy))) {
      if (!isHealthy(r)) toStop.push(r);
      else if (budget > 0) {
        toStop.push(r);
        budget--;
      }
    }
    if (pLive.length > desired) {
      for (const r of launcher.pickForScaleIn(record, pLive, isHealthy, pLive.length - desired)) {
        if (isHealthy(r) && budget <= 0) continue;
        if (isHealthy(r)) budget--;
        toStop.push(r);
      }
    }
    // maximumPercent bounds the tasks in the RUNNING or PENDING state: those still stopping count
    // until their containers are gone.
    const occupying = tasks.filter((r) => OCCUPYING.has(r.task.lastStatus ?? "")).length;
    const toStart = Math.max(0, Math.min(desired - pLive.length, maxTotal - occupying));
    launcher.stop(record, toStop);
    if (toStop.some((r) => displaced.get(r) === "constraints")) {
      events.publishAction(record, "ERROR", "SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED");
    }
    if (toStart > 0) launcher.launchFor(record, primary, toStart, pLive, now);
    // Only a real dead end is reported: nothing starting, nothing on its way out.
    const inFlight = pLive.some((r) => !isHealthy(r)) || occupying > liveTasks.length;
    if (toStop.length === 0 && toStart === 0 && !inFlight && pLive.length < desired && !primary.unableReported) {
      primary.unableReported = true;
      events.event(record, Messages.svcUnableToStopOrStart(s.serviceName!));
    }
  }

  /** A daemon wants one task per instance it belongs on; a change is announced as AWS does. */
  function daemonDesiredCount(record: ServiceRecord, config: Parameters<InstancePlacement["daemonInstances"]>[1]): Set<string> {
    const internal = internalOf(record);
    const members = new Set(placement.daemonInstances(record, config).map((i) => i.arn));
    const count = members.size;
    if (record.service.desiredCount !== count) {
      record.service.desiredCount = count;
      internal.steady = false;
    }
    if (internal.daemonDesired !== count) {
      internal.daemonDesired = count;
      events.publishAction(record, "INFO", "SERVICE_DESIRED_COUNT_UPDATED");
    }
    return members;
  }

  /** Older deployments leave `deployments` once every task of theirs has STOPPED. */
  function retireDeployments(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const d of [...internal.deployments]) {
      if (d.status === "PRIMARY") continue;
      if (tasks.some((r) => r.task.startedBy === d.id && r.task.lastStatus !== "STOPPED")) continue;
      d.status = "INACTIVE";
      d.updatedAt = now;
      internal.deployments.splice(internal.deployments.indexOf(d), 1);
      internal.retired.push(d);
      internal.steady = false;
    }
  }

  /** The PRIMARY deployment completes once it alone runs desiredCount healthy tasks. */
  function checkCompletion(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    const primary = primaryOf(internal);
    if (!primary || primary.rolloutState !== "IN_PROGRESS" || internal.deployments.length !== 1) return;
    if (record.service.status !== "ACTIVE") return;
    const desired = record.service.desiredCount ?? 0;
    const mine = tasks.filter((r) => r.task.startedBy === primary.id && r.task.lastStatus !== "STOPPED");
    if (mine.length !== desired || !mine.every((r) => r.task.desiredStatus === "RUNNING" && deps.health.healthy(record, r, now))) return;

    primary.rolloutState = "COMPLETED";
    primary.rolloutStateReason = Messages.deploymentCompleted(primary.id);
    primary.updatedAt = now;
    internal.lastCompleted = { deploymentId: primary.id, revisionArn: primary.revisionArn, config: primary.config };
    const sd = serviceDeploymentOf(internal, primary);
    if (sd && (sd.status === "IN_PROGRESS" || sd.status === "ROLLBACK_IN_PROGRESS")) {
      sd.status = primary.rollbackOf ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
      sd.finishedAt = now;
      sd.updatedAt = now;
    }
    events.event(record, Messages.svcDeploymentCompleted(record.service.serviceName!, primary.id));
    events.publishDeployment(record, "INFO", "SERVICE_DEPLOYMENT_COMPLETED", primary.id, primary.rolloutStateReason);
  }

  return { rollDeployments, retireDeployments, checkCompletion };
}
