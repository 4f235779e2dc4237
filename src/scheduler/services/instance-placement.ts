import type { PlacementConstraint, PlacementStrategy } from "@aws-sdk/client-ecs";
import type { SeededRandom } from "../../core/random.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import type { ServiceRecord, Store, TaskRecord } from "../../state/store.js";
import {
  checkFit,
  chooseTasksToStop,
  compileConstraints,
  DEFAULT_SERVICE_STRATEGY,
  taskRequirements,
  type CandidateInstance,
} from "../ec2-placement/index.js";
import type { ContainerInstances } from "../instances/index.js";
import { internalOf } from "./internal.js";
import { byScaleInOrder } from "./service-tasks.js";
import type { RevisionConfig } from "./types.js";

export type InstancePlacement = ReturnType<typeof createInstancePlacement>;

export function isDaemon(record: ServiceRecord): boolean {
  return record.service.schedulingStrategy === "DAEMON";
}

/**
 * What the service scheduler needs to know about container instances (EC2 launch type): the
 * strategy a service places and scales in with, which of its tasks must leave their instance
 * (DRAINING, or for a daemon an instance it no longer belongs on), and where daemon tasks go.
 */
export function createInstancePlacement(deps: {
  store: Store;
  instances: ContainerInstances;
  taskDefinitions: TaskDefinitionRegistry;
  random: SeededRandom;
}) {
  const { store, instances } = deps;

  /** The service's own strategy, else AWS's default for a REPLICA service; daemons take none. */
  function strategies(record: ServiceRecord): PlacementStrategy[] {
    if (isDaemon(record)) return [];
    const own = record.service.placementStrategy ?? [];
    return own.length > 0 ? own : [...DEFAULT_SERVICE_STRATEGY];
  }

  function constraints(record: ServiceRecord): PlacementConstraint[] {
    return record.service.placementConstraints ?? [];
  }

  function snapshot(record: ServiceRecord): CandidateInstance[] {
    return instances.placementCandidates(internalOf(record).scope, record.clusterName);
  }

  /**
   * The ACTIVE instances a daemon of this configuration belongs on: those that meet its placement
   * constraints (the service's and the task definition's) and required attributes. Resources and
   * the agent connection do not decide membership: a daemon that does not fit is reported, not
   * dropped from desiredCount.
   */
  function daemonInstances(record: ServiceRecord, config: RevisionConfig, all = snapshot(record)): CandidateInstance[] {
    const scope = internalOf(record).scope;
    const def = deps.taskDefinitions.find(scope, config.taskDefinitionArn)?.record.definition;
    if (!def) return [];
    const req = {
      ...taskRequirements(def, {}, `service:${record.service.serviceName}`),
      cpu: 0,
      memory: 0,
      gpus: 0,
      hostPorts: [],
      dynamicPorts: [],
      awsvpc: false,
    };
    // distinctInstance holds by construction (one task per instance) and would refuse the daemon's own instance.
    const compiled = compileConstraints(
      [...constraints(record), ...((def.placementConstraints ?? []) as PlacementConstraint[])].filter((c) => c.type !== "distinctInstance"),
    );
    return all.filter((i) => i.status === "ACTIVE" && checkFit({ ...i, agentConnected: true }, req, compiled).kind === "fits");
  }

  /**
   * Live tasks that have to leave their instance and be replaced: on an instance that is no longer
   * ACTIVE (DRAINING) or, for a daemon, on one it does not belong on any more.
   */
  function displaced(record: ServiceRecord, live: TaskRecord[], daemonMembers?: ReadonlySet<string>): Map<TaskRecord, "draining" | "constraints"> {
    const out = new Map<TaskRecord, "draining" | "constraints">();
    const onInstances = live.filter((r) => r.task.containerInstanceArn);
    if (onInstances.length === 0) return out;
    const state = store.region(internalOf(record).scope.account, internalOf(record).scope.region);
    for (const r of onInstances) {
      const arn = r.task.containerInstanceArn!;
      if (state.containerInstances.get(arn)?.instance.status !== "ACTIVE") out.set(r, "draining");
      else if (daemonMembers && !daemonMembers.has(arn)) out.set(r, "constraints");
    }
    return out;
  }

  /** Instances a daemon should start on: where it belongs and no task of the service occupies a place yet. */
  function daemonTargets(record: ServiceRecord, config: RevisionConfig, tasks: TaskRecord[]): string[] {
    // A task still stopping holds its resources there: the new one waits for it to be gone.
    const taken = new Set(tasks.filter((r) => r.task.lastStatus !== "STOPPED").map((r) => r.task.containerInstanceArn));
    return daemonInstances(record, config)
      .filter((i) => !taken.has(i.arn))
      .map((i) => i.arn);
  }

  /**
   * Which of `pool` a scale-in stops: tasks that are not healthy first, then, for tasks on
   * container instances, as the service's strategy says (balance across zones and instances by
   * default), with remaining ties drawn from the seeded source.
   */
  function pickForScaleIn(record: ServiceRecord, pool: TaskRecord[], healthy: (r: TaskRecord) => boolean, count: number): TaskRecord[] {
    if (count <= 0) return [];
    const ordered = [...pool].sort(byScaleInOrder(healthy));
    const placed = ordered.filter((r) => healthy(r) && r.task.containerInstanceArn && r.placement);
    if (placed.length === 0) return ordered.slice(0, count);
    const out = ordered.filter((r) => !healthy(r)).slice(0, count);
    const rest = count - out.length;
    if (rest <= 0) return out;
    const byArn = new Map(placed.map((r) => [r.task.taskArn!, r]));
    const chosen = chooseTasksToStop(
      snapshot(record),
      placed.map((r) => ({ taskArn: r.task.taskArn!, instanceArn: r.task.containerInstanceArn!, cpu: r.placement!.cpu, memory: r.placement!.memory })),
      rest,
      strategies(record),
      () => deps.random.float(),
    );
    out.push(...chosen.map((arn) => byArn.get(arn)!));
    // Healthy tasks not on an instance (none in a pure EC2 service) come last, in scale-in order.
    if (out.length < count) out.push(...ordered.filter((r) => healthy(r) && !byArn.has(r.task.taskArn!)).slice(0, count - out.length));
    return out;
  }

  return { strategies, constraints, daemonInstances, displaced, daemonTargets, pickForScaleIn };
}
