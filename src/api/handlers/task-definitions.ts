import { ecsOperation, type OperationTable } from "../operation.js";
import {
  DeleteTaskDefinitionsSchema,
  DeregisterTaskDefinitionSchema,
  DescribeTaskDefinitionSchema,
  ListTaskDefinitionFamiliesSchema,
  ListTaskDefinitionsSchema,
  RegisterTaskDefinitionSchema,
} from "../schemas/task-definitions.js";
import type { Domain } from "./domain.js";
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";

export function taskDefinitionOperations(d: Domain): OperationTable {
  return {
    RegisterTaskDefinition: ecsOperation("RegisterTaskDefinition", RegisterTaskDefinitionSchema, (input, req) =>
      d.taskDefinitions.register(req.scope, input as RegisterTaskDefinitionRequest, req.requestId),
    ),
    DescribeTaskDefinition: ecsOperation("DescribeTaskDefinition", DescribeTaskDefinitionSchema, (input, req) =>
      d.taskDefinitions.describe(req.scope, input.taskDefinition, input.include?.includes("TAGS") ?? false),
    ),
    ListTaskDefinitions: ecsOperation("ListTaskDefinitions", ListTaskDefinitionsSchema, (input, req) => d.taskDefinitions.list(req.scope, input)),
    ListTaskDefinitionFamilies: ecsOperation("ListTaskDefinitionFamilies", ListTaskDefinitionFamiliesSchema, (input, req) =>
      d.taskDefinitions.listFamilies(req.scope, input),
    ),
    DeregisterTaskDefinition: ecsOperation("DeregisterTaskDefinition", DeregisterTaskDefinitionSchema, (input, req) => ({
      taskDefinition: d.taskDefinitions.deregister(req.scope, input.taskDefinition),
    })),
    DeleteTaskDefinitions: ecsOperation("DeleteTaskDefinitions", DeleteTaskDefinitionsSchema, (input, req) =>
      d.taskDefinitions.delete(req.scope, input.taskDefinitions),
    ),
  };
}
