import type { Tag } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import type { SeededRandom } from "../../core/random.js";
import type { TagService } from "../../domain/tags.js";
import { Arn } from "../../state/arn.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import type { Deployments } from "./deployments.js";
import { internalOf } from "./internal.js";
import type { Launcher } from "./launcher.js";
import { deploymentId } from "./naming.js";
import type { ServiceEvents } from "./service-events.js";
import { isLive, startedBy } from "./service-tasks.js";
import type { RevisionConfig, TaskSetState } from "./types.js";
import { countTasks, taskSetDesired, taskSetView } from "./views.js";

export type TaskSets = ReturnType<typeof createTaskSets>;

/**
 * Task sets of CODE_DEPLOY and EXTERNAL services: an external deployer creates, scales and
 * promotes them; the reconcile pass keeps each at its share of desiredCount and drains the ones
 * being deleted.
 */
export function createTaskSets(deps: {
  clock: Clock;
  random: SeededRandom;
  tags: TagService;
  ownedTasks: (record: ServiceRecord) => TaskRecord[];
  deployments: Pick<Deployments, "newRevision">;
  launcher: Launcher;
  events: ServiceEvents;
}) {
  const { launcher } = deps;

  function add(
    record: ServiceRecord,
    config: RevisionConfig,
    scale: { value: number; unit: "PERCENT" },
    status: "PRIMARY" | "ACTIVE",
    extra: { externalId?: string; clientToken?: string; tags?: Tag[] },
  ): TaskSetState {
    const internal = internalOf(record);
    const now = deps.clock.now();
    const id = deploymentId(deps.random);
    const ts: TaskSetState = {
      id,
      arn: Arn.taskSet(internal.scope, record.clusterName, record.service.serviceName!, id),
      status,
      config,
      scale,
      ...(extra.externalId ? { externalId: extra.externalId } : {}),
      ...(extra.clientToken ? { clientToken: extra.clientToken } : {}),
      ...(internal.controller === "CODE_DEPLOY" ? { startedBy: "CODE_DEPLOY" } : {}),
      createdAt: now,
      updatedAt: now,
      stabilityStatus: "STABILIZING",
      stabilityStatusAt: now,
      tags: extra.tags ?? [],
    };
    internal.taskSets.push(ts);
    deps.tags.replace(ts.arn, ts.tags);
    deps.deployments.newRevision(record, config);
    if (status === "PRIMARY") applyPrimaryTaskSet(record, ts);
    internal.steady = false;
    refreshViews(record);
    return ts;
  }

  /** Keeps the stored record's task sets (what GET /_sim/state dumps) in step with DescribeTaskSets. */
  function refreshViews(record: ServiceRecord): void {
    record.taskSets = viewsOf(record, internalOf(record).taskSets, false);
  }

  function viewsOf(record: ServiceRecord, taskSets: TaskSetState[], withTags: boolean) {
    const tasks = deps.ownedTasks(record);
    return taskSets.map((ts) => taskSetView(record, ts, tasks, withTags));
  }

  function viewOf(record: ServiceRecord, ts: TaskSetState, withTags = false) {
    return viewsOf(record, [ts], withTags)[0]!;
  }

  /** The task-set step of the reconcile pass. */
  function reconcile(record: ServiceRecord, tasks: TaskRecord[], now: number): void {
    const internal = internalOf(record);
    for (const ts of [...internal.taskSets]) {
      const mine = startedBy(tasks, ts.id);
      const live = mine.filter(isLive);
      if (ts.status === "DRAINING" || record.service.status !== "ACTIVE") {
        launcher.stop(record, live, ts.id);
        if (mine.every((r) => r.task.lastStatus === "STOPPED")) {
          internal.taskSets.splice(internal.taskSets.indexOf(ts), 1);
          refreshViews(record);
        }
        continue;
      }
      const desired = taskSetDesired(record, ts);
      launcher.scaleTo(record, ts, live, desired, now);
      const counts = countTasks(mine);
      const steady =
        counts.running === desired &&
        counts.pending === 0 &&
        mine.every((r) => r.task.lastStatus === "STOPPED" || r.task.desiredStatus === "RUNNING");
      const status = steady ? "STEADY_STATE" : "STABILIZING";
      if (status !== ts.stabilityStatus) {
        ts.stabilityStatus = status;
        ts.stabilityStatusAt = now;
        if (steady) deps.events.publishAction(record, "INFO", "TASKSET_STEADY_STATE", { taskSetArns: [ts.arn] });
      }
    }
    refreshViews(record);
  }

  return { add, refreshViews, viewsOf, viewOf, reconcile };
}

/** What the service's task sets want in total: the steady-state target of the service. */
export function taskSetsDesired(record: ServiceRecord): number {
  return internalOf(record)
    .taskSets.filter((t) => t.status !== "DRAINING")
    .reduce((sum, t) => sum + taskSetDesired(record, t), 0);
}

/** The PRIMARY task set decides what the service shows as its task definition and load balancers. */
export function applyPrimaryTaskSet(record: ServiceRecord, ts: TaskSetState): void {
  const s = record.service;
  s.taskDefinition = ts.config.taskDefinitionArn;
  if (ts.config.loadBalancers.length) s.loadBalancers = ts.config.loadBalancers;
}
