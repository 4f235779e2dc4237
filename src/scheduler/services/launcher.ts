import type { CapacityProviderStrategyItem, Failure, Tag, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { Logger } from "../../core/logger.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { ThrottlingException } from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import { Ec2Messages } from "../../errors/ec2-messages.js";
import { Arn } from "../../state/arn.js";
import type { ServiceRecord, Store, TaskRecord } from "../../state/store.js";
import { placeTasks } from "../placement.js";
import type { LaunchPlan, PlacementShortfall, TaskScheduler } from "../tasks.js";
import type { ServicesConfig } from "./config.js";
import type { HealthJudge } from "./health.js";
import { internalOf } from "./internal.js";
import { taskIdOfArn } from "./naming.js";
import type { ServiceEvents } from "./service-events.js";
import { isDaemon, type InstancePlacement } from "./instance-placement.js";
import { ownedTasks } from "./service-tasks.js";
import type { RevisionConfig } from "./types.js";

/** What starts a service's tasks: a deployment or a task set (its id becomes the tasks' startedBy). */
export interface TaskOwner {
  id: string;
  config: RevisionConfig;
}

export type Launcher = ReturnType<typeof createLauncher>;

/**
 * Starting and stopping a service's tasks. Launches go one task at a time through
 * TaskScheduler.launch, the same path as RunTask (placement, capacity, quotas, runtime), so a
 * failure stops the round and backs the service off instead of failing the rest in bulk.
 */
export function createLauncher(deps: {
  store: Store;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  tasks: TaskScheduler;
  config: ServicesConfig;
  events: ServiceEvents;
  logger: Logger;
  health: HealthJudge;
  placement: InstancePlacement;
}) {
  const { events, placement } = deps;
  const isProtected = (r: TaskRecord): boolean => deps.tasks.isProtected(r);

  /** Starts up to `count` tasks for the owner; `existing` are its live tasks (a strategy keeps its split). */
  function launchFor(record: ServiceRecord, owner: TaskOwner, count: number, existing: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    if (count <= 0 || now < internal.nextLaunchAt || now < (internal.placementRetryAt ?? 0)) return;
    const scope = internal.scope;
    const name = record.service.serviceName!;
    const definition = deps.taskDefinitions.find(scope, owner.config.taskDefinitionArn)?.record.definition;
    const cluster = deps.store.region(scope.account, scope.region).clusters.get(record.clusterName)?.cluster;
    if (!definition || !cluster) return;
    const target = owner.config.target;
    const byProvider = target.kind === "strategy" ? countByProvider(target.strategy, existing) : undefined;
    const plan: Omit<LaunchPlan, "existingByProvider"> = {
      cluster,
      definition,
      count: 1,
      target,
      networkConfiguration: owner.config.networkConfiguration,
      startedBy: owner.id,
      group: `service:${name}`,
      tags: taskTags(record, definition),
      enableExecuteCommand: record.service.enableExecuteCommand ?? false,
      placementStrategy: placement.strategies(record),
      placementConstraints: placement.constraints(record),
    };
    const started: string[] = [];
    if (isDaemon(record)) {
      // One task per instance, each on its own instance; one that does not fit does not hold up the others.
      let failed = false;
      for (const arn of placement.daemonTargets(record, owner.config, ownedTasks(deps.store, record)).slice(0, count)) {
        const task = launchOne(record, { ...plan, containerInstanceArns: [arn] }, "EC2", now, false);
        if (task) started.push(taskIdOfArn(task.taskArn!));
        else failed = true;
      }
      if (failed) backOffPlacement(record, now);
      reportStarted(record, started);
      return;
    }
    for (let i = 0; i < count; i++) {
      const provider = target.kind === "strategy" ? placeTasks(target.strategy, 1, byProvider!)[0]! : "FARGATE";
      const task = launchOne(record, byProvider ? { ...plan, existingByProvider: new Map(byProvider) } : plan, provider, now);
      if (!task) break;
      started.push(taskIdOfArn(task.taskArn!));
      if (byProvider) {
        const p = task.capacityProviderName ?? provider;
        byProvider.set(p, (byProvider.get(p) ?? 0) + 1);
      }
    }
    reportStarted(record, started);
  }

  function reportStarted(record: ServiceRecord, started: string[]): void {
    if (started.length === 0) return;
    const internal = internalOf(record);
    internal.placementDelayMs = 0;
    internal.placementRetryAt = 0;
    internal.steady = false;
    events.event(record, Messages.svcStartedTasks(record.service.serviceName!, started));
  }

  /** One task; a throttle or a placement failure is reported and backed off, and ends the round. */
  function launchOne(record: ServiceRecord, plan: LaunchPlan, provider: string, now: number, backOffOnShortfall = true): Task | undefined {
    const name = record.service.serviceName!;
    let result: { tasks: Task[]; failures: Failure[]; shortfall?: PlacementShortfall };
    try {
      result = deps.tasks.launch(internalOf(record).scope, plan, {
        serviceName: name,
        requestId: `service-scheduler/${name}`,
        operation: "ServiceScheduler",
      });
    } catch (err) {
      if (!(err instanceof ThrottlingException)) throw err;
      throttled(record, now);
      return undefined;
    }
    if (result.tasks[0]) return result.tasks[0];
    if (result.shortfall) {
      unableToPlaceOnInstances(record, result.shortfall, now);
      if (backOffOnShortfall) backOffPlacement(record, now);
      return undefined;
    }
    const failure = result.failures[0];
    if (!failure) return undefined;
    if (failure.reason === Messages.fargateLaunchRateExceeded) throttled(record, now);
    else placementFailed(record, failure.reason ?? "Internal error.", provider, now);
    return undefined;
  }

  function throttled(record: ServiceRecord, now: number): void {
    events.event(record, Messages.svcThrottled(record.service.serviceName!));
    events.publishAction(record, "ERROR", "ECS_OPERATION_THROTTLED");
    backOff(record, now);
  }

  function placementFailed(record: ServiceRecord, reason: string, provider: string, now: number): void {
    const scope = internalOf(record).scope;
    events.event(record, Messages.svcUnableToPlace(record.service.serviceName!, reason));
    const resource =
      reason === Messages.cpuAboveLimit ? "RESOURCE:CPU" : reason === Messages.memoryAboveLimit ? "RESOURCE:MEMORY" : "RESOURCE:FARGATE";
    events.publishAction(record, "ERROR", "SERVICE_TASK_PLACEMENT_FAILURE", {
      capacityProviderArns: [Arn.capacityProvider(scope, provider)],
      reason: resource,
    });
    deps.logger.warn(`service ${record.service.serviceName} was unable to place a task: ${reason}`, { cluster: record.clusterName });
    backOff(record, now);
  }

  /**
   * No container instance took the task: AWS's event naming the closest instance (or that there is
   * none), and SERVICE_TASK_PLACEMENT_FAILURE with that instance's reason. While the service waits
   * for capacity, the same text is logged at most once per retry interval, however often a freed
   * resource or a new instance makes it try again early.
   */
  function unableToPlaceOnInstances(record: ServiceRecord, shortfall: PlacementShortfall, now: number): void {
    const internal = internalOf(record);
    const name = record.service.serviceName!;
    const closest = shortfall.noInstances || shortfall.provisioningLimit ? undefined : shortfall.closest;
    const message = shortfall.provisioningLimit
      ? Ec2Messages.svcProvisioningLimit(name)
      : closest
      ? Ec2Messages.svcUnableToPlaceClosest(name, closest.arn.slice(closest.arn.lastIndexOf("/") + 1), closest.reason)
      : shortfall.provider
        ? Ec2Messages.svcUnableToPlaceNoInstancesInCapacityProvider(name)
        : Ec2Messages.svcUnableToPlaceNoInstances(name);
    const last = internal.lastPlacementEvent;
    if (last && last.message === message && now - last.at < Math.max(internal.placementDelayMs, deps.config.placementRetryMs)) return;
    internal.lastPlacementEvent = { message, at: now };
    events.event(record, message);
    if (closest) {
      events.publishAction(record, "ERROR", "SERVICE_TASK_PLACEMENT_FAILURE", {
        ...(shortfall.provider ? { capacityProviderArns: [Arn.capacityProvider(internal.scope, shortfall.provider)] } : {}),
        reason: closest.reason,
      });
    }
    deps.logger.warn(`service ${name} was unable to place a task on a container instance`, {
      cluster: record.clusterName,
      reason: closest?.reason ?? "no container instances",
    });
  }

  /** The retry delay after a placement failure: exponential up to placementRetryMaxMs; a successful launch resets it. */
  function nextPlacementDelay(record: ServiceRecord): number {
    const internal = internalOf(record);
    const cfg = deps.config;
    internal.placementDelayMs = internal.placementDelayMs
      ? Math.min(cfg.placementRetryMaxMs, internal.placementDelayMs * 2)
      : cfg.placementRetryMs;
    return internal.placementDelayMs;
  }

  function backOff(record: ServiceRecord, now: number): void {
    const internal = internalOf(record);
    internal.nextLaunchAt = Math.max(internal.nextLaunchAt, now + nextPlacementDelay(record));
  }

  /**
   * Waiting for a container instance to take the task. Kept apart from nextLaunchAt (throttling,
   * start failures) so that new capacity can end this wait early without ending those.
   */
  function backOffPlacement(record: ServiceRecord, now: number): void {
    const internal = internalOf(record);
    internal.placementRetryAt = Math.max(internal.placementRetryAt ?? 0, now + nextPlacementDelay(record));
  }

  /** Capacity may have appeared (an instance registered or changed, a task on an instance stopped): try again now. */
  function capacityChanged(record: ServiceRecord, now: number): boolean {
    const internal = internalOf(record);
    if ((internal.placementRetryAt ?? 0) <= now) return false;
    internal.placementRetryAt = now;
    return true;
  }

  /** Stops the tasks on the scheduler's behalf; their stops are not failures. `ownerId` names the deployment in the reason. */
  function stop(record: ServiceRecord, tasks: TaskRecord[], ownerId?: string): void {
    if (tasks.length === 0) return;
    const internal = internalOf(record);
    const ids: string[] = [];
    // Scale-in protection holds while the service is ACTIVE; deleting the service stops everything.
    const honourProtection = record.service.status === "ACTIVE";
    for (const r of tasks) {
      const arn = r.task.taskArn!;
      if (r.task.desiredStatus === "STOPPED") continue;
      if (honourProtection && isProtected(r)) continue;
      internal.schedulerStopped.add(arn);
      internal.accounted.add(arn);
      const deployment = ownerId ?? r.task.startedBy ?? "";
      deps.tasks.stopBySystem(arn, "ServiceSchedulerInitiated", Messages.scalingActivity(deployment));
      ids.push(taskIdOfArn(arn));
    }
    if (ids.length) {
      internal.steady = false;
      events.event(record, Messages.svcStoppedTasks(record.service.serviceName!, ids));
    }
  }

  /** Brings the owner's live tasks to `desired`: starts the missing ones or scales in the surplus. */
  function scaleTo(record: ServiceRecord, owner: TaskOwner, live: TaskRecord[], desired: number, now: number): void {
    if (live.length < desired) launchFor(record, owner, desired - live.length, live, now);
    else if (live.length > desired) {
      const healthy = (r: TaskRecord) => deps.health.healthy(record, r, now);
      stop(record, pickForScaleIn(record, live, healthy, live.length - desired), owner.id);
    }
  }

  /** Scale-in candidates (scale-in-protected tasks never are), chosen as the service's placement says. */
  function pickForScaleIn(record: ServiceRecord, tasks: TaskRecord[], healthy: (r: TaskRecord) => boolean, count: number): TaskRecord[] {
    return placement.pickForScaleIn(record, tasks.filter((r) => !isProtected(r)), healthy, Math.max(0, count));
  }

  function taskTags(record: ServiceRecord, def: TaskDefinition): Tag[] {
    const s = record.service;
    const byKey = new Map<string, Tag>();
    if (s.propagateTags === "TASK_DEFINITION") for (const t of deps.tags.get(def.taskDefinitionArn!)) byKey.set(t.key!, t);
    if (s.propagateTags === "SERVICE") for (const t of deps.tags.get(s.serviceArn!)) byKey.set(t.key!, t);
    if (s.enableECSManagedTags) {
      byKey.set("aws:ecs:clusterName", { key: "aws:ecs:clusterName", value: record.clusterName });
      byKey.set("aws:ecs:serviceName", { key: "aws:ecs:serviceName", value: s.serviceName! });
    }
    return [...byKey.values()];
  }

  return { launchFor, stop, scaleTo, isProtected, pickForScaleIn, capacityChanged };
}

/** Live tasks per capacity provider of the strategy (providers without tasks count 0). */
function countByProvider(strategy: CapacityProviderStrategyItem[], existing: TaskRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of strategy) counts.set(s.capacityProvider!, 0);
  for (const r of existing) {
    const p = r.task.capacityProviderName ?? "FARGATE";
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}
