import type { DomainEvents } from "../core/events.js";
import { isoMillis } from "./envelope.js";

/**
 * The simulator's own detail-type (AWS publishes nothing when a task finds no container
 * instance: RunTask answers failures, a service logs an event and retries). Source is `aws.ecs`
 * like every event of the hub, so one rule sees both; the detail-type says it is not AWS's.
 */
export const PLACEMENT_FAILURE = "ecs-sim Task Placement Failure" as const;

export function placementFailureDetail(p: DomainEvents["task.placement-failed"], nowMs: number): Record<string, unknown> {
  return {
    clusterArn: p.clusterArn,
    taskDefinitionArn: p.taskDefinitionArn,
    ...(p.group ? { group: p.group } : {}),
    ...(p.startedBy ? { startedBy: p.startedBy } : {}),
    ...(p.serviceName ? { serviceName: p.serviceName } : {}),
    ...(p.capacityProviderName ? { capacityProviderName: p.capacityProviderName } : {}),
    launchType: "EC2",
    operation: p.operation,
    requestedCount: p.requestedCount,
    unplacedCount: p.unplacedCount,
    reason: p.noContainerInstances ? "NO_CONTAINER_INSTANCES" : "NO_INSTANCE_MET_REQUIREMENTS",
    failures: p.failures.map((f) => ({ arn: f.arn, reason: f.reason })),
    ...(p.closest ? { closest: { arn: p.closest.arn, reason: p.closest.reason } } : {}),
    createdAt: isoMillis(nowMs),
  };
}
