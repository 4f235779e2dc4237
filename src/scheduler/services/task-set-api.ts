import type { Failure, Tag, UpdateServiceRequest } from "@aws-sdk/client-ecs";
import type { Clock } from "../../core/clock.js";
import type { ClusterService } from "../../domain/clusters.js";
import type { Scope } from "../../domain/scope.js";
import type { TagService } from "../../domain/tags.js";
import type { TaskDefinitionRegistry } from "../../domain/task-definitions.js";
import { InvalidParameterException } from "../../errors/aws-errors.js";
import { Messages } from "../../errors/messages.js";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import { internalOf } from "./internal.js";
import type { ServiceLookup } from "./lookup.js";
import type { ReconcileLoop } from "./loop.js";
import { buildConfig, type ConfigSource } from "./revision-config.js";
import { startedBy } from "./service-tasks.js";
import { applyPrimaryTaskSet, type TaskSets } from "./task-sets.js";
import type { Targets } from "./targets.js";
import type { TaskSetState } from "./types.js";
import { taskSetDesired } from "./views.js";

const MAX_TASK_SETS = 5;

export type CreateTaskSetInput = ConfigSource & {
  service: string;
  cluster: string;
  externalId?: string;
  scale?: { value?: number; unit?: string };
  clientToken?: string;
  tags?: Tag[];
};

/** Names one task set of a service by ARN or id. */
interface TaskSetRef {
  cluster: string;
  service: string;
  taskSet: string;
}

export type UpdateTaskSetInput = TaskSetRef & { scale: { value?: number; unit?: string } };
export type DeleteTaskSetInput = TaskSetRef & { force?: boolean };
export type DescribeTaskSetsInput = { cluster: string; service: string; taskSets?: string[]; include?: string[] };
export type UpdateServicePrimaryTaskSetInput = { cluster: string; service: string; primaryTaskSet: string };

export type TaskSetApi = ReturnType<typeof createTaskSetApi>;

/** CreateTaskSet, UpdateTaskSet, DeleteTaskSet, DescribeTaskSets and UpdateServicePrimaryTaskSet. */
export function createTaskSetApi(deps: {
  clock: Clock;
  clusters: ClusterService;
  taskDefinitions: TaskDefinitionRegistry;
  tags: TagService;
  lookup: ServiceLookup;
  ownedTasks: (record: ServiceRecord) => TaskRecord[];
  taskSets: TaskSets;
  targets: Pick<Targets, "openDoors">;
  loop: Pick<ReconcileLoop, "kick">;
}) {
  const { clock, lookup, taskSets } = deps;

  /** Every change reconciles at once and answers with the task set as it now stands. */
  function changed(record: ServiceRecord, ts: TaskSetState) {
    deps.loop.kick(record.service.serviceArn!);
    return { taskSet: taskSets.viewOf(record, ts) };
  }

  function createTaskSet(scope: Scope, input: CreateTaskSetInput) {
    const record = lookup.requireTaskSetService(scope, input.cluster, input.service);
    const internal = internalOf(record);
    if (input.clientToken) {
      const prior = internal.taskSets.find((t) => t.clientToken === input.clientToken);
      if (prior) return { taskSet: taskSets.viewOf(record, prior) };
    }
    if (internal.taskSets.length >= MAX_TASK_SETS) throw new InvalidParameterException(Messages.taskSetLimit);
    const cluster = deps.clusters.resolve(scope, input.cluster).cluster;
    const config = buildConfig(deps.taskDefinitions, deps.clusters.fallbackLaunchType, scope, cluster, input, "create");
    if (input.tags?.length) deps.tags.validate(scope, input.tags);
    const ts = taskSets.add(
      record,
      config,
      { value: input.scale?.value ?? 100, unit: "PERCENT" },
      internal.taskSets.length === 0 ? "PRIMARY" : "ACTIVE",
      {
        ...(input.externalId ? { externalId: input.externalId } : {}),
        ...(input.clientToken ? { clientToken: input.clientToken } : {}),
        tags: input.tags ?? [],
      },
    );
    return changed(record, ts);
  }

  function updateTaskSet(scope: Scope, input: UpdateTaskSetInput) {
    const { record, ts } = lookup.requireTaskSet(scope, input.cluster, input.service, input.taskSet);
    ts.scale = { value: input.scale.value ?? ts.scale.value, unit: "PERCENT" };
    ts.updatedAt = clock.now();
    internalOf(record).steady = false;
    return changed(record, ts);
  }

  function deleteTaskSet(scope: Scope, input: DeleteTaskSetInput) {
    const { record, ts } = lookup.requireTaskSet(scope, input.cluster, input.service, input.taskSet);
    const live = startedBy(deps.ownedTasks(record), ts.id).filter((t) => t.task.lastStatus !== "STOPPED");
    if (!input.force && ((ts.scale.value > 0 && taskSetDesired(record, ts) > 0) || live.length > 0)) {
      throw new InvalidParameterException(Messages.taskSetScaledAboveZero);
    }
    ts.status = "DRAINING";
    ts.updatedAt = clock.now();
    taskSets.refreshViews(record);
    return changed(record, ts);
  }

  function describeTaskSets(scope: Scope, input: DescribeTaskSetsInput) {
    const record = lookup.require(scope, input.cluster, input.service);
    const all = internalOf(record).taskSets;
    const withTags = input.include?.includes("TAGS") ?? false;
    if (!input.taskSets?.length) return { taskSets: taskSets.viewsOf(record, all, withTags), failures: [] };
    const found: TaskSetState[] = [];
    const failures: Failure[] = [];
    for (const ref of input.taskSets) {
      const ts = all.find((t) => t.arn === ref || t.id === ref);
      if (ts) found.push(ts);
      else failures.push({ arn: ref, reason: "MISSING" });
    }
    return { taskSets: taskSets.viewsOf(record, found, withTags), failures };
  }

  function updateServicePrimaryTaskSet(scope: Scope, input: UpdateServicePrimaryTaskSetInput) {
    const { record, ts } = lookup.requireTaskSet(scope, input.cluster, input.service, input.primaryTaskSet);
    if (ts.status === "DRAINING") throw new InvalidParameterException(Messages.taskSetNotFound);
    const now = clock.now();
    const internal = internalOf(record);
    for (const other of internal.taskSets) {
      if (other !== ts && other.status === "PRIMARY") {
        other.status = "ACTIVE";
        other.updatedAt = now;
      }
    }
    ts.status = "PRIMARY";
    ts.updatedAt = now;
    applyPrimaryTaskSet(record, ts);
    deps.targets.openDoors(record);
    internal.steady = false;
    return changed(record, ts);
  }

  return { createTaskSet, updateTaskSet, deleteTaskSet, describeTaskSets, updateServicePrimaryTaskSet };
}

/** UpdateService on a CODE_DEPLOY or EXTERNAL service: the deployer owns what the task sets run. */
export function checkControllerUpdate(
  taskDefinitions: TaskDefinitionRegistry,
  scope: Scope,
  record: ServiceRecord,
  input: UpdateServiceRequest,
): void {
  const controller = internalOf(record).controller;
  if (controller === "CODE_DEPLOY") {
    if (input.taskDefinition !== undefined) {
      const resolved = taskDefinitions.find(scope, input.taskDefinition)?.record.definition.taskDefinitionArn;
      if (resolved !== record.service.taskDefinition) throw new InvalidParameterException(Messages.codeDeployTaskDefinition);
    }
    if (input.forceNewDeployment) throw new InvalidParameterException(Messages.codeDeployForce);
  }
  const restricted: [string, unknown][] = [
    ["network parameters", input.networkConfiguration],
    ["capacity provider strategy", input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : undefined],
    ["platform version", input.platformVersion],
    ["load balancers", input.loadBalancers?.length ? input.loadBalancers : undefined],
    ["service registries", input.serviceRegistries?.length ? input.serviceRegistries : undefined],
    ["service connect configuration", input.serviceConnectConfiguration],
  ];
  if (controller === "EXTERNAL") {
    restricted.unshift(["task definition", input.taskDefinition], ["forceNewDeployment", input.forceNewDeployment || undefined]);
    restricted.push(["deployment configuration", input.deploymentConfiguration]);
  }
  for (const [field, value] of restricted) {
    if (value === undefined) continue;
    throw new InvalidParameterException(
      controller === "CODE_DEPLOY" ? Messages.codeDeployParameter(field) : Messages.externalParameter(field),
    );
  }
}
