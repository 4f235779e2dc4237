import type { Attribute, RegisterContainerInstanceRequest } from "@aws-sdk/client-ecs";
import { paginate } from "../../domain/pagination.js";
import { ecsOperation, type OperationTable } from "../operation.js";
import {
  DeleteAttributesSchema,
  DeregisterContainerInstanceSchema,
  DescribeContainerInstancesSchema,
  DiscoverPollEndpointSchema,
  ListAttributesSchema,
  ListContainerInstancesSchema,
  PutAttributesSchema,
  RegisterContainerInstanceSchema,
  SubmitStateChangeSchema,
  UpdateContainerAgentSchema,
  UpdateContainerInstancesStateSchema,
} from "../schemas/container-instances.js";
import type { Domain } from "./domain.js";
import type { Scope } from "../../domain/scope.js";

export function containerInstanceOperations(d: Domain): OperationTable {
  const ci = d.instances;
  // The agent's state reports are acknowledged: the simulator drives its own tasks.
  const acknowledge = (input: { cluster?: string }, req: { scope: Scope }) => {
    if (input.cluster) ci.clusterName(req.scope, input.cluster);
    return { acknowledgment: "ACK" };
  };
  return {
    RegisterContainerInstance: ecsOperation("RegisterContainerInstance", RegisterContainerInstanceSchema, (input, req) => {
      const record = ci.registry.registerFromAgent(req.scope, input as RegisterContainerInstanceRequest);
      return { containerInstance: ci.view(req.scope, record) };
    }),
    DeregisterContainerInstance: ecsOperation("DeregisterContainerInstance", DeregisterContainerInstanceSchema, (input, req) => {
      const cluster = ci.clusterName(req.scope, input.cluster);
      const record = ci.lifecycle.deregister(req.scope, cluster, input.containerInstance, input.force ?? false);
      return { containerInstance: ci.view(req.scope, record) };
    }),
    DescribeContainerInstances: ecsOperation("DescribeContainerInstances", DescribeContainerInstancesSchema, (input, req) =>
      ci.describe(req.scope, input.cluster, input.containerInstances, input.include?.includes("TAGS") ?? false),
    ),
    ListContainerInstances: ecsOperation("ListContainerInstances", ListContainerInstancesSchema, (input, req) => ci.list(req.scope, input)),
    UpdateContainerInstancesState: ecsOperation("UpdateContainerInstancesState", UpdateContainerInstancesStateSchema, (input, req) => {
      const cluster = ci.clusterName(req.scope, input.cluster);
      const { containerInstances, failures } = ci.lifecycle.updateState(req.scope, cluster, input.containerInstances, input.status);
      return { containerInstances: containerInstances.map((r) => ci.view(req.scope, r)), failures };
    }),
    UpdateContainerAgent: ecsOperation("UpdateContainerAgent", UpdateContainerAgentSchema, (input, req) =>
      ci.lifecycle.updateAgent(req.scope, ci.clusterName(req.scope, input.cluster), input.containerInstance),
    ),
    PutAttributes: ecsOperation("PutAttributes", PutAttributesSchema, (input, req) => ({
      attributes: ci.attributes.put(req.scope, ci.clusterName(req.scope, input.cluster), input.attributes as Attribute[]),
    })),
    DeleteAttributes: ecsOperation("DeleteAttributes", DeleteAttributesSchema, (input, req) => ({
      attributes: ci.attributes.delete(req.scope, ci.clusterName(req.scope, input.cluster), input.attributes as Attribute[]),
    })),
    ListAttributes: ecsOperation("ListAttributes", ListAttributesSchema, (input, req) => {
      const rows = ci.attributes.list(req.scope, ci.clusterName(req.scope, input.cluster), input);
      const { page, nextToken } = paginate(rows, { ...input, kind: "attributes" });
      return { attributes: page, ...(nextToken ? { nextToken } : {}) };
    }),
    DiscoverPollEndpoint: ecsOperation("DiscoverPollEndpoint", DiscoverPollEndpointSchema, (_input, req) => ({
      endpoint: `https://ecs-a-1.${req.scope.region}.amazonaws.com/`,
      telemetryEndpoint: `https://ecs-t-1.${req.scope.region}.amazonaws.com/`,
      serviceConnectEndpoint: `https://ecs-sc-1.${req.scope.region}.amazonaws.com/`,
    })),
    SubmitTaskStateChange: ecsOperation("SubmitTaskStateChange", SubmitStateChangeSchema, acknowledge),
    SubmitContainerStateChange: ecsOperation("SubmitContainerStateChange", SubmitStateChangeSchema, acknowledge),
    SubmitAttachmentStateChanges: ecsOperation("SubmitAttachmentStateChanges", SubmitStateChangeSchema, acknowledge),
  };
}
