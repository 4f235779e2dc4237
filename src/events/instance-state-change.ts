import type { ContainerInstance } from "@aws-sdk/client-ecs";
import { isoMillis } from "./envelope.js";

export const INSTANCE_STATE_CHANGE = "ECS Container Instance State Change" as const;

/**
 * The `detail` of an "ECS Container Instance State Change" event: the DescribeContainerInstances
 * shape with ISO-8601 timestamps and the cluster's ARN, as in AWS's event example.
 */
export function instanceStateChangeDetail(instance: ContainerInstance, clusterArn: string, updatedAtMs: number): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    agentConnected: instance.agentConnected,
    attributes: instance.attributes?.map((a) => (a.value === undefined ? { name: a.name } : { name: a.name, value: a.value })),
    clusterArn,
    containerInstanceArn: instance.containerInstanceArn,
    ec2InstanceId: instance.ec2InstanceId,
    registeredResources: instance.registeredResources,
    remainingResources: instance.remainingResources,
    status: instance.status,
    statusReason: instance.statusReason,
    version: instance.version,
    versionInfo: instance.versionInfo,
    pendingTasksCount: instance.pendingTasksCount,
    runningTasksCount: instance.runningTasksCount,
    capacityProviderName: instance.capacityProviderName,
    registeredAt: isoMillis(instance.registeredAt),
    updatedAt: isoMillis(updatedAtMs),
  };
  for (const k of Object.keys(detail)) if (detail[k] === undefined) delete detail[k];
  return detail;
}
