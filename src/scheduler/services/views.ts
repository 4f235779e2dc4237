import type {
  Deployment,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  Task,
  TaskSet,
} from "@aws-sdk/client-ecs";
import type { ServiceRecord, TaskRecord } from "../../state/store.js";
import { internalOf, primaryOf } from "./internal.js";
import { isLive, startedBy } from "./service-tasks.js";
import type { DeploymentState, RevisionConfig, ServiceDeploymentState, TaskSetState } from "./types.js";

const PENDING_STATES = new Set(["PROVISIONING", "PENDING", "ACTIVATING"]);

export interface Counts {
  running: number;
  pending: number;
}

/** RUNNING tasks (whatever their desired status) and tasks still starting that are meant to run. */
export function countTasks(tasks: TaskRecord[]): Counts {
  let running = 0;
  let pending = 0;
  for (const r of tasks) {
    if (r.task.lastStatus === "RUNNING") running++;
    else if (r.task.desiredStatus === "RUNNING" && PENDING_STATES.has(r.task.lastStatus ?? "")) pending++;
  }
  return { running, pending };
}

function targetFields(config: RevisionConfig): Pick<Deployment, "launchType" | "capacityProviderStrategy"> {
  return config.capacityProviderStrategy
    ? { capacityProviderStrategy: config.capacityProviderStrategy.map((s) => ({ ...s })) }
    : { launchType: (config.launchType ?? "FARGATE") as Deployment["launchType"] };
}

function fargatePlatform(config: RevisionConfig): { platformVersion: string; platformFamily: string } {
  return { platformVersion: config.platformVersion && config.platformVersion !== "LATEST" ? config.platformVersion : "1.4.0", platformFamily: "Linux" };
}

export function deploymentView(d: DeploymentState, desired: number, counts: Counts): Deployment {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.config.taskDefinitionArn,
    desiredCount: desired,
    pendingCount: counts.pending,
    runningCount: counts.running,
    failedTasks: d.failedTasks,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    ...targetFields(d.config),
    ...fargatePlatform(d.config),
    ...(d.config.networkConfiguration ? { networkConfiguration: structuredClone(d.config.networkConfiguration) } : {}),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

/** A task set's computedDesiredCount: its scale of the service's desiredCount, rounded up. */
export function taskSetDesired(record: ServiceRecord, ts: TaskSetState): number {
  return Math.ceil(((record.service.desiredCount ?? 0) * ts.scale.value) / 100);
}

/** `tasks` are the service's own (ownedTasks); a DRAINING task set wants none. */
export function taskSetView(record: ServiceRecord, ts: TaskSetState, tasks: TaskRecord[], withTags: boolean): TaskSet {
  const c = ts.config;
  const desired = ts.status === "DRAINING" ? 0 : taskSetDesired(record, ts);
  const counts = countTasks(startedBy(tasks, ts.id));
  return {
    id: ts.id,
    taskSetArn: ts.arn,
    serviceArn: record.service.serviceArn,
    clusterArn: record.service.clusterArn,
    ...(ts.startedBy ? { startedBy: ts.startedBy } : {}),
    ...(ts.externalId ? { externalId: ts.externalId } : {}),
    status: ts.status,
    taskDefinition: c.taskDefinitionArn,
    computedDesiredCount: desired,
    pendingCount: counts.pending,
    runningCount: counts.running,
    createdAt: new Date(ts.createdAt),
    updatedAt: new Date(ts.updatedAt),
    ...targetFields(c),
    ...fargatePlatform(c),
    ...(c.networkConfiguration ? { networkConfiguration: structuredClone(c.networkConfiguration) } : {}),
    loadBalancers: structuredClone(c.loadBalancers),
    serviceRegistries: structuredClone(c.serviceRegistries),
    scale: { ...ts.scale },
    stabilityStatus: ts.stabilityStatus,
    stabilityStatusAt: new Date(ts.stabilityStatusAt),
    ...(withTags ? { tags: ts.tags.map((t) => ({ ...t })) } : {}),
  } as TaskSet;
}

/**
 * The service as DescribeServices returns it, with live counts from `tasks` (ownedTasks); every
 * list clients index is present. A PRIMARY deployment wants desiredCount, older ones what they still run.
 */
export function serviceView(record: ServiceRecord, tasks: TaskRecord[], tags?: Task["tags"]): Service {
  const internal = internalOf(record);
  const desired = record.service.desiredCount ?? 0;
  const deployments = internal.deployments.map((d) => {
    const mine = startedBy(tasks, d.id);
    return deploymentView(d, d.status === "PRIMARY" ? desired : mine.filter(isLive).length, countTasks(mine));
  });
  const taskSets = internal.taskSets.map((ts) => taskSetView(record, ts, tasks, false));
  return assembleServiceView(record, { counts: countTasks(tasks), deployments, taskSets, ...(tags ? { tags } : {}) });
}

function assembleServiceView(
  record: ServiceRecord,
  parts: { counts: Counts; deployments: Deployment[]; taskSets: TaskSet[]; tags?: Task["tags"] },
): Service {
  const s = record.service;
  const internal = internalOf(record);
  const view: Service = {
    serviceArn: s.serviceArn,
    serviceName: s.serviceName,
    clusterArn: s.clusterArn,
    loadBalancers: structuredClone(s.loadBalancers ?? []),
    serviceRegistries: structuredClone(s.serviceRegistries ?? []),
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: parts.counts.running,
    pendingCount: parts.counts.pending,
    ...(s.launchType ? { launchType: s.launchType } : {}),
    ...(s.capacityProviderStrategy ? { capacityProviderStrategy: structuredClone(s.capacityProviderStrategy) } : {}),
    ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
    ...(s.platformFamily ? { platformFamily: s.platformFamily } : {}),
    ...(s.taskDefinition ? { taskDefinition: s.taskDefinition } : {}),
    deploymentConfiguration: structuredClone(s.deploymentConfiguration),
    taskSets: parts.taskSets,
    deployments: parts.deployments,
    ...(s.roleArn ? { roleArn: s.roleArn } : {}),
    events: internal.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: s.createdAt,
    placementConstraints: structuredClone(s.placementConstraints ?? []),
    placementStrategy: structuredClone(s.placementStrategy ?? []),
    ...(s.networkConfiguration ? { networkConfiguration: structuredClone(s.networkConfiguration) } : {}),
    ...(s.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds } : {}),
    schedulingStrategy: s.schedulingStrategy,
    deploymentController: { type: s.deploymentController?.type ?? "ECS" },
    ...(parts.tags ? { tags: parts.tags } : {}),
    createdBy: s.createdBy,
    enableECSManagedTags: s.enableECSManagedTags,
    propagateTags: s.propagateTags,
    enableExecuteCommand: s.enableExecuteCommand,
    ...(s.availabilityZoneRebalancing ? { availabilityZoneRebalancing: s.availabilityZoneRebalancing } : {}),
  };
  return view;
}

/** `tasks` are the service's own (ownedTasks): each revision's counts come from its deployments' tasks. */
export function serviceDeploymentView(record: ServiceRecord, sd: ServiceDeploymentState, tasks: TaskRecord[]): ServiceDeployment {
  const revisionSummary = (arn: string) => {
    const c = revisionCounts(record, tasks, arn);
    return { arn, requestedTaskCount: c.requested, runningTaskCount: c.running, pendingTaskCount: c.pending };
  };
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: record.service.serviceArn,
    clusterArn: record.service.clusterArn,
    createdAt: new Date(sd.createdAt),
    startedAt: new Date(sd.startedAt),
    updatedAt: new Date(sd.updatedAt),
    ...(sd.finishedAt !== undefined ? { finishedAt: new Date(sd.finishedAt) } : {}),
    ...(sd.stoppedAt !== undefined ? { stoppedAt: new Date(sd.stoppedAt) } : {}),
    sourceServiceRevisions: sd.sourceRevisionArns.map(revisionSummary),
    targetServiceRevision: revisionSummary(sd.targetRevisionArn),
    status: sd.status,
    ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
    deploymentConfiguration: structuredClone(sd.deploymentConfiguration),
    ...(sd.rollback
      ? { rollback: { reason: sd.rollback.reason, startedAt: new Date(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn } }
      : {}),
    deploymentCircuitBreaker: { ...sd.breaker },
  } as ServiceDeployment;
}

/** Only the PRIMARY deployment's revision is requested to run: desiredCount tasks. */
function revisionCounts(record: ServiceRecord, tasks: TaskRecord[], revisionArn: string): Counts & { requested: number } {
  const internal = internalOf(record);
  const ids = new Set([...internal.deployments, ...internal.retired].filter((d) => d.revisionArn === revisionArn).map((d) => d.id));
  const counts = countTasks(tasks.filter((r) => ids.has(r.task.startedBy ?? "")));
  const requested = primaryOf(internal)?.revisionArn === revisionArn ? record.service.desiredCount ?? 0 : 0;
  return { requested, running: counts.running, pending: counts.pending };
}

export function serviceDeploymentBrief(record: ServiceRecord, sd: ServiceDeploymentState): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: record.service.serviceArn,
    clusterArn: record.service.clusterArn,
    startedAt: new Date(sd.startedAt),
    createdAt: new Date(sd.createdAt),
    ...(sd.finishedAt !== undefined ? { finishedAt: new Date(sd.finishedAt) } : {}),
    targetServiceRevisionArn: sd.targetRevisionArn,
    status: sd.status,
    ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
  } as ServiceDeploymentBrief;
}

export function serviceRevisionView(
  record: ServiceRecord,
  arn: string,
  config: RevisionConfig,
  createdAt: number,
  images: { containerName: string; image: string }[],
): ServiceRevision {
  return {
    serviceRevisionArn: arn,
    serviceArn: record.service.serviceArn,
    clusterArn: record.service.clusterArn,
    taskDefinition: config.taskDefinitionArn,
    ...targetFields(config),
    ...fargatePlatform(config),
    loadBalancers: structuredClone(config.loadBalancers),
    serviceRegistries: structuredClone(config.serviceRegistries),
    ...(config.networkConfiguration ? { networkConfiguration: structuredClone(config.networkConfiguration) } : {}),
    containerImages: images,
    guardDutyEnabled: false,
    ...(config.serviceConnectConfiguration ? { serviceConnectConfiguration: structuredClone(config.serviceConnectConfiguration) } : {}),
    createdAt: new Date(createdAt),
  } as ServiceRevision;
}
