import { cloneData } from "../core/clone-data.js";
import type { Attachment, Container, ManagedAgent, Task } from "@aws-sdk/client-ecs";
import { isoMillis } from "./envelope.js";

/**
 * The `detail` of an "ECS Task State Change" event, built from a DescribeTasks-shaped Task.
 * Differences from DescribeTasks, all from the AWS event example and its notes:
 *  - timestamps are ISO-8601 strings with milliseconds, not epoch seconds;
 *  - the ENI attachment's type is "eni", not "ElasticNetworkInterface";
 *  - `updatedAt` (absent from the Task API shape) is the time of the change;
 *  - task health is not reported ("use DescribeTasks"), and tags never appear, which is why
 *    Prefect's observer calls DescribeTasks(include=TAGS) for each event.
 * Absent fields are omitted rather than null, as AWS does.
 */
export type TaskStateChangeDetail = Record<string, unknown> & {
  clusterArn?: string;
  taskArn?: string;
  lastStatus?: string;
  desiredStatus?: string;
  version?: number;
  updatedAt: string;
};

export const TASK_STATE_CHANGE = "ECS Task State Change" as const;

export function taskStateChangeDetail(task: Task, updatedAtMs: number): TaskStateChangeDetail {
  const detail = compact({
    attachments: task.attachments?.map(attachment),
    attributes: task.attributes?.map((a) => compact({ name: a.name, value: a.value })),
    availabilityZone: task.availabilityZone,
    capacityProviderName: task.capacityProviderName,
    clusterArn: task.clusterArn,
    connectivity: task.connectivity,
    connectivityAt: isoMillis(task.connectivityAt),
    containerInstanceArn: task.containerInstanceArn,
    containers: task.containers?.map(container),
    cpu: task.cpu,
    createdAt: isoMillis(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: task.enableExecuteCommand,
    ephemeralStorage: task.ephemeralStorage ? { ...task.ephemeralStorage } : undefined,
    executionStoppedAt: isoMillis(task.executionStoppedAt),
    group: task.group,
    launchType: task.launchType,
    lastStatus: task.lastStatus,
    memory: task.memory,
    overrides: task.overrides ? cloneData(task.overrides) : undefined,
    platformFamily: task.platformFamily,
    platformVersion: task.platformVersion,
    pullStartedAt: isoMillis(task.pullStartedAt),
    pullStoppedAt: isoMillis(task.pullStoppedAt),
    startedAt: isoMillis(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: isoMillis(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: isoMillis(task.stoppingAt),
    updatedAt: isoMillis(updatedAtMs)!,
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
  });
  return detail as TaskStateChangeDetail;
}

function attachment(a: Attachment): Record<string, unknown> {
  return compact({
    id: a.id,
    type: a.type === "ElasticNetworkInterface" ? "eni" : a.type,
    status: a.status,
    details: a.details?.map((d) => compact({ name: d.name, value: d.value })),
  });
}

function container(c: Container): Record<string, unknown> {
  return compact({
    containerArn: c.containerArn,
    lastStatus: c.lastStatus,
    name: c.name,
    image: c.image,
    imageDigest: c.imageDigest,
    runtimeId: c.runtimeId,
    taskArn: c.taskArn,
    exitCode: c.exitCode,
    reason: c.reason,
    networkBindings: c.networkBindings?.map((b) => compact({ ...b })),
    networkInterfaces: c.networkInterfaces?.map((n) => compact({ ...n })),
    managedAgents: c.managedAgents?.map(managedAgent),
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
    gpuIds: c.gpuIds,
  });
}

function managedAgent(m: ManagedAgent): Record<string, unknown> {
  return compact({
    lastStartedAt: isoMillis(m.lastStartedAt),
    name: m.name,
    reason: m.reason,
    lastStatus: m.lastStatus,
  });
}

/**
 * Drops undefined members, so deep equality with AWS examples holds and JSON stays terse.
 * Copies rather than deleting in place: a deleted property turns an object into a slow
 * dictionary (about 1.6 KiB more per task event), and the event log retains thousands of them.
 */
function compact<T extends Record<string, unknown>>(obj: T): T {
  // Object.fromEntries keeps fast properties where a loop of keyed stores would not.
  return Object.fromEntries(Object.entries(obj).filter(([, value]) => value !== undefined)) as T;
}
