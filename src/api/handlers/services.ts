import type { CreateServiceRequest, UpdateServiceRequest } from "@aws-sdk/client-ecs";
import type { ServiceScheduler } from "../../scheduler/services/service-scheduler.js";
import { ecsOperation, type OperationTable } from "../operation.js";
import {
  CreateServiceSchema,
  CreateTaskSetSchema,
  DeleteServiceSchema,
  DeleteTaskSetSchema,
  DescribeServiceDeploymentsSchema,
  DescribeServiceRevisionsSchema,
  DescribeServicesSchema,
  DescribeTaskSetsSchema,
  ListServiceDeploymentsSchema,
  ListServicesByNamespaceSchema,
  ListServicesSchema,
  StopServiceDeploymentSchema,
  UpdateServicePrimaryTaskSetSchema,
  UpdateServiceSchema,
  UpdateTaskSetSchema,
} from "../schemas/services.js";

/** Services, service deployments and revisions, and task sets. */
export function serviceOperations(services: ServiceScheduler): OperationTable {
  return {
    CreateService: ecsOperation("CreateService", CreateServiceSchema, (input, req) => ({
      service: services.createService(req.scope, input as CreateServiceRequest),
    })),
    UpdateService: ecsOperation("UpdateService", UpdateServiceSchema, (input, req) => ({
      service: services.updateService(req.scope, input as UpdateServiceRequest),
    })),
    DeleteService: ecsOperation("DeleteService", DeleteServiceSchema, (input, req) => ({
      service: services.deleteService(req.scope, input.cluster, input.service, input.force ?? false),
    })),
    DescribeServices: ecsOperation("DescribeServices", DescribeServicesSchema, (input, req) =>
      services.describeServices(req.scope, input.cluster, input.services, input.include?.includes("TAGS") ?? false),
    ),
    ListServices: ecsOperation("ListServices", ListServicesSchema, (input, req) => services.listServices(req.scope, input)),
    ListServicesByNamespace: ecsOperation("ListServicesByNamespace", ListServicesByNamespaceSchema, (input, req) =>
      services.listServicesByNamespace(req.scope, input),
    ),
    ListServiceDeployments: ecsOperation("ListServiceDeployments", ListServiceDeploymentsSchema, (input, req) =>
      services.listServiceDeployments(req.scope, input),
    ),
    DescribeServiceDeployments: ecsOperation("DescribeServiceDeployments", DescribeServiceDeploymentsSchema, (input, req) =>
      services.describeServiceDeployments(req.scope, input.serviceDeploymentArns),
    ),
    DescribeServiceRevisions: ecsOperation("DescribeServiceRevisions", DescribeServiceRevisionsSchema, (input, req) =>
      services.describeServiceRevisions(req.scope, input.serviceRevisionArns),
    ),
    StopServiceDeployment: ecsOperation("StopServiceDeployment", StopServiceDeploymentSchema, (input, req) =>
      services.stopServiceDeployment(req.scope, input.serviceDeploymentArn, input.stopType),
    ),
    CreateTaskSet: ecsOperation("CreateTaskSet", CreateTaskSetSchema, (input, req) => services.createTaskSet(req.scope, input)),
    UpdateTaskSet: ecsOperation("UpdateTaskSet", UpdateTaskSetSchema, (input, req) => services.updateTaskSet(req.scope, input)),
    DeleteTaskSet: ecsOperation("DeleteTaskSet", DeleteTaskSetSchema, (input, req) => services.deleteTaskSet(req.scope, input)),
    DescribeTaskSets: ecsOperation("DescribeTaskSets", DescribeTaskSetsSchema, (input, req) => services.describeTaskSets(req.scope, input)),
    UpdateServicePrimaryTaskSet: ecsOperation("UpdateServicePrimaryTaskSet", UpdateServicePrimaryTaskSetSchema, (input, req) =>
      services.updateServicePrimaryTaskSet(req.scope, input),
    ),
  };
}
