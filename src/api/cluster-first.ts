import type { ClusterService } from "../domain/clusters.js";
import type { RequestContext } from "./operation.js";

/**
 * Operations whose request names a cluster (the ECS model's `cluster` member), implemented or not.
 * For these AWS reports an unknown cluster before anything else about the request.
 */
export const CLUSTER_OPERATIONS: ReadonlySet<string> = new Set([
  "CreateService", "CreateTaskSet", "DeleteAttributes", "DeleteCluster", "DeleteService", "DeleteTaskSet",
  "DeregisterContainerInstance", "DescribeContainerInstances", "DescribeServices", "DescribeTaskSets",
  "DescribeTasks", "ExecuteCommand", "GetTaskProtection", "ListAttributes", "ListContainerInstances",
  "ListServiceDeployments", "ListServices", "ListTasks", "PutAttributes", "PutClusterCapacityProviders",
  "RegisterContainerInstance", "RunTask", "StartTask", "StopTask", "SubmitAttachmentStateChanges",
  "SubmitContainerStateChange", "SubmitTaskStateChange", "UpdateCluster", "UpdateClusterSettings",
  "UpdateContainerAgent", "UpdateContainerInstancesState", "UpdateService", "UpdateServicePrimaryTaskSet",
  "UpdateTaskProtection", "UpdateTaskSet",
]);

/**
 * The check the server runs before validating a request: a named cluster that does not exist is
 * ClusterNotFoundException, whatever else is wrong. An omitted cluster is left to the handler,
 * which decides what `default` means.
 */
export function clusterFirst(clusters: ClusterService) {
  return (operation: string, input: Record<string, unknown>, req: RequestContext): void => {
    if (!CLUSTER_OPERATIONS.has(operation)) return;
    const ref = input.cluster;
    if (typeof ref === "string" && ref !== "") clusters.resolve(req.scope, ref);
  };
}
