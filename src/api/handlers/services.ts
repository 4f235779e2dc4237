import type { CreateServiceRequest, UpdateServiceRequest } from "@aws-sdk/client-ecs";
import type { ServiceScheduler } from "../../scheduler/services/service-scheduler.js";
import { operation, type OperationTable } from "../operation.js";
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
    CreateService: operation(CreateServiceSchema, (input, req) => ({
      service: services.createService(req.scope, input as CreateServiceRequest),
    })),
    UpdateService: operation(UpdateServiceSchema, (input, req) => ({
      service: services.updateService(req.scope, input as UpdateServiceRequest),
    })),
    DeleteService: operation(DeleteServiceSchema, (input, req) => ({
      service: services.deleteService(req.scope, input.cluster, input.service, input.force ?? false),
    })),
    DescribeServices: operation(DescribeServicesSchema, (input, req) =>
      services.describeServices(req.scope, input.cluster, input.services, input.include?.includes("TAGS") ?? false),
    ),
    ListServices: operation(ListServicesSchema, (input, req) => services.listServices(req.scope, input)),
    ListServicesByNamespace: operation(ListServicesByNamespaceSchema, (input, req) =>
      services.listServicesByNamespace(req.scope, input),
    ),
    ListServiceDeployments: operation(ListServiceDeploymentsSchema, (input, req) =>
      services.listServiceDeployments(req.scope, input),
    ),
    DescribeServiceDeployments: operation(DescribeServiceDeploymentsSchema, (input, req) =>
      services.describeServiceDeployments(req.scope, input.serviceDeploymentArns),
    ),
    DescribeServiceRevisions: operation(DescribeServiceRevisionsSchema, (input, req) =>
      services.describeServiceRevisions(req.scope, input.serviceRevisionArns),
    ),
    StopServiceDeployment: operation(StopServiceDeploymentSchema, (input, req) =>
      services.stopServiceDeployment(req.scope, input.serviceDeploymentArn, input.stopType),
    ),
    CreateTaskSet: operation(CreateTaskSetSchema, (input, req) => services.createTaskSet(req.scope, input)),
    UpdateTaskSet: operation(UpdateTaskSetSchema, (input, req) => services.updateTaskSet(req.scope, input)),
    DeleteTaskSet: operation(DeleteTaskSetSchema, (input, req) => services.deleteTaskSet(req.scope, input)),
    DescribeTaskSets: operation(DescribeTaskSetsSchema, (input, req) => services.describeTaskSets(req.scope, input)),
    UpdateServicePrimaryTaskSet: operation(UpdateServicePrimaryTaskSetSchema, (input, req) =>
      services.updateServicePrimaryTaskSet(req.scope, input),
    ),
  };
}
