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

/*
 * The request and response shapes of each ECS operation, read off the SDK's command classes, so a
 * handler's answer is checked against the model the clients decode it with.
 */
type EcsModule = typeof import("@aws-sdk/client-ecs");
type CommandOf<N extends string> = `${N}Command` extends keyof EcsModule ? InstanceType<Extract<EcsModule[`${N}Command`], abstract new (...args: never[]) => unknown>> : never;
type HandlerOutput<C> = C extends { resolveMiddleware(...args: never[]): (...a: never[]) => Promise<{ output: infer O }> } ? O : never;

/** What ECS answers for operation N, without the SDK's `$metadata`. */
export type EcsResponse<N extends (typeof ECS_OPERATIONS)[number]> = Omit<HandlerOutput<CommandOf<N>>, "$metadata">;

/**
 * Declares an ECS operation: its zod schema (the one source of request validation) and a handler
 * whose answer must be the SDK's response shape for that name. A new operation is a schema file
 * entry, a handler entry, and its table's registration in handlers/index.ts.
 */
export function ecsOperation<N extends (typeof ECS_OPERATIONS)[number], S extends z.ZodTypeAny>(
  _name: N,
  schema: S,
  handle: (input: z.infer<S>, req: RequestContext) => EcsResponse<N> | Promise<EcsResponse<N>>,
): Operation<S> {
  return { schema, handle };
}
