import type { z } from "zod";
import type { Scope } from "../domain/scope.js";

/** Who called, where, and under which request id. */
export interface RequestContext {
  scope: Scope;
  requestId: string;
  operation: string;
}

/** One ECS operation: its request schema (the single source of validation) and its handler. */
export interface Operation<S extends z.ZodTypeAny = z.ZodTypeAny> {
  schema: S;
  handle(input: z.infer<S>, req: RequestContext): unknown;
}

export function operation<S extends z.ZodTypeAny>(
  schema: S,
  handle: (input: z.infer<S>, req: RequestContext) => unknown,
): Operation<S> {
  return { schema, handle };
}

export type OperationTable = Record<string, Operation>;

/** Every operation of the current ECS model (botocore 1.43, 77 operations). */
export const ECS_OPERATIONS = [
  "CreateCapacityProvider", "CreateCluster", "CreateDaemon", "CreateExpressGatewayService", "CreateService",
  "CreateTaskSet", "DeleteAccountSetting", "DeleteAttributes", "DeleteCapacityProvider", "DeleteCluster",
  "DeleteDaemon", "DeleteDaemonTaskDefinition", "DeleteExpressGatewayService", "DeleteService",
  "DeleteTaskDefinitions", "DeleteTaskSet", "DeregisterContainerInstance", "DeregisterTaskDefinition",
  "DescribeCapacityProviders", "DescribeClusters", "DescribeContainerInstances", "DescribeDaemon",
  "DescribeDaemonDeployments", "DescribeDaemonRevisions", "DescribeDaemonTaskDefinition",
  "DescribeExpressGatewayService", "DescribeServiceDeployments", "DescribeServiceRevisions", "DescribeServices",
  "DescribeTaskDefinition", "DescribeTaskSets", "DescribeTasks", "DiscoverPollEndpoint", "ExecuteCommand",
  "GetTaskProtection", "ListAccountSettings", "ListAttributes", "ListClusters", "ListContainerInstances",
  "ListDaemonDeployments", "ListDaemonTaskDefinitions", "ListDaemons", "ListServiceDeployments", "ListServices",
  "ListServicesByNamespace", "ListTagsForResource", "ListTaskDefinitionFamilies", "ListTaskDefinitions",
  "ListTasks", "PutAccountSetting", "PutAccountSettingDefault", "PutAttributes", "PutClusterCapacityProviders",
  "RegisterContainerInstance", "RegisterDaemonTaskDefinition", "RegisterTaskDefinition", "RunTask", "StartTask",
  "StopServiceDeployment", "StopTask", "SubmitAttachmentStateChanges", "SubmitContainerStateChange",
  "SubmitTaskStateChange", "TagResource", "UntagResource", "UpdateCapacityProvider", "UpdateCluster",
  "UpdateClusterSettings", "UpdateContainerAgent", "UpdateContainerInstancesState", "UpdateDaemon",
  "UpdateExpressGatewayService", "UpdateService", "UpdateServicePrimaryTaskSet", "UpdateTaskProtection",
  "UpdateTaskSet", "ContinueServiceDeployment",
] as const;
