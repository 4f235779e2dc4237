import { z } from "zod";
import {
  Bool,
  CapacityProviderStrategySchema,
  Int,
  LaunchTypeSchema,
  NetworkConfigurationSchema,
  PaginationSchema,
  PlacementConstraintSchema,
  PlacementStrategySchema,
  Str,
  StrList,
  TagsSchema,
} from "./common.js";

/** Service shapes of the ECS model; nested objects the scheduler does not interpret pass through. */
export const LoadBalancerSchema = z.object({
  targetGroupArn: Str.optional(),
  loadBalancerName: Str.optional(),
  containerName: Str.optional(),
  containerPort: Int.optional(),
  advancedConfiguration: z.object({}).passthrough().optional(),
});

export const ServiceRegistrySchema = z.object({
  registryArn: Str.optional(),
  port: Int.optional(),
  containerName: Str.optional(),
  containerPort: Int.optional(),
});

export const DeploymentConfigurationSchema = z
  .object({
    deploymentCircuitBreaker: z
      .object({ enable: Bool, rollback: Bool, resetOnHealthyTask: Bool.optional() })
      .passthrough()
      .optional(),
    maximumPercent: Int.optional(),
    minimumHealthyPercent: Int.optional(),
    alarms: z.object({ alarmNames: StrList, rollback: Bool, enable: Bool }).passthrough().optional(),
    strategy: z.enum(["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"]).optional(),
    bakeTimeInMinutes: Int.optional(),
  })
  .passthrough();

export const DeploymentControllerSchema = z.object({ type: z.enum(["ECS", "CODE_DEPLOY", "EXTERNAL"]) });

const ServiceConnectConfigurationSchema = z
  .object({ enabled: Bool, namespace: Str.optional() })
  .passthrough();

const PropagateTagsSchema = z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]);

const ServiceConfigFields = {
  taskDefinition: Str.optional(),
  loadBalancers: z.array(LoadBalancerSchema).optional(),
  serviceRegistries: z.array(ServiceRegistrySchema).optional(),
  desiredCount: Int.min(0).optional(),
  capacityProviderStrategy: CapacityProviderStrategySchema.optional(),
  platformVersion: Str.optional(),
  deploymentConfiguration: DeploymentConfigurationSchema.optional(),
  placementConstraints: z.array(PlacementConstraintSchema).max(10).optional(),
  placementStrategy: z.array(PlacementStrategySchema).max(5).optional(),
  networkConfiguration: NetworkConfigurationSchema.optional(),
  healthCheckGracePeriodSeconds: Int.min(0).max(2147483647).optional(),
  enableECSManagedTags: Bool.optional(),
  propagateTags: PropagateTagsSchema.optional(),
  enableExecuteCommand: Bool.optional(),
  serviceConnectConfiguration: ServiceConnectConfigurationSchema.optional(),
  volumeConfigurations: z.array(z.object({ name: Str }).passthrough()).optional(),
  vpcLatticeConfigurations: z.array(z.object({}).passthrough()).optional(),
  availabilityZoneRebalancing: z.enum(["ENABLED", "DISABLED"]).optional(),
};

export const CreateServiceSchema = z.object({
  cluster: Str.optional(),
  serviceName: Str,
  clientToken: Str.max(36).optional(),
  launchType: LaunchTypeSchema.optional(),
  role: Str.optional(),
  schedulingStrategy: z.enum(["REPLICA", "DAEMON"]).optional(),
  deploymentController: DeploymentControllerSchema.optional(),
  tags: TagsSchema.optional(),
  ...ServiceConfigFields,
});

export const UpdateServiceSchema = z.object({
  cluster: Str.optional(),
  service: Str,
  forceNewDeployment: Bool.optional(),
  deploymentController: DeploymentControllerSchema.optional(),
  ...ServiceConfigFields,
});

export const DeleteServiceSchema = z.object({
  cluster: Str.optional(),
  service: Str,
  force: Bool.optional(),
});

export const DescribeServicesSchema = z.object({
  cluster: Str.optional(),
  services: StrList,
  include: z.array(z.literal("TAGS")).optional(),
});

export const ListServicesSchema = z.object({
  cluster: Str.optional(),
  launchType: LaunchTypeSchema.optional(),
  schedulingStrategy: z.enum(["REPLICA", "DAEMON"]).optional(),
  resourceManagementType: Str.optional(),
  ...PaginationSchema,
});

export const ListServicesByNamespaceSchema = z.object({
  namespace: Str,
  ...PaginationSchema,
});

const DateLike = z.union([z.number(), z.string()]);

export const ListServiceDeploymentsSchema = z.object({
  service: Str,
  cluster: Str.optional(),
  status: z
    .array(
      z.enum([
        "PENDING",
        "SUCCESSFUL",
        "STOPPED",
        "STOP_REQUESTED",
        "IN_PROGRESS",
        "ROLLBACK_REQUESTED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_SUCCESSFUL",
        "ROLLBACK_FAILED",
      ]),
    )
    .optional(),
  createdAt: z.object({ before: DateLike.optional(), after: DateLike.optional() }).optional(),
  ...PaginationSchema,
});

export const DescribeServiceDeploymentsSchema = z.object({
  serviceDeploymentArns: z.array(Str).min(1).max(20),
});

export const DescribeServiceRevisionsSchema = z.object({
  serviceRevisionArns: z.array(Str).min(1).max(20),
});

export const StopServiceDeploymentSchema = z.object({
  serviceDeploymentArn: Str,
  stopType: z.enum(["ABORT", "ROLLBACK"]).optional(),
});

export const ScaleSchema = z.object({
  value: z.number().min(0).max(100).optional(),
  unit: z.literal("PERCENT").optional(),
});

export const CreateTaskSetSchema = z.object({
  service: Str,
  cluster: Str,
  externalId: Str.optional(),
  taskDefinition: Str,
  networkConfiguration: NetworkConfigurationSchema.optional(),
  loadBalancers: z.array(LoadBalancerSchema).optional(),
  serviceRegistries: z.array(ServiceRegistrySchema).optional(),
  launchType: LaunchTypeSchema.optional(),
  capacityProviderStrategy: CapacityProviderStrategySchema.optional(),
  platformVersion: Str.optional(),
  scale: ScaleSchema.optional(),
  clientToken: Str.max(36).optional(),
  tags: TagsSchema.optional(),
});

export const UpdateTaskSetSchema = z.object({
  cluster: Str,
  service: Str,
  taskSet: Str,
  scale: ScaleSchema,
});

export const DeleteTaskSetSchema = z.object({
  cluster: Str,
  service: Str,
  taskSet: Str,
  force: Bool.optional(),
});

export const DescribeTaskSetsSchema = z.object({
  cluster: Str,
  service: Str,
  taskSets: StrList.optional(),
  include: z.array(z.literal("TAGS")).optional(),
});

export const UpdateServicePrimaryTaskSetSchema = z.object({
  cluster: Str,
  service: Str,
  primaryTaskSet: Str,
});

export type CreateServiceInput = z.infer<typeof CreateServiceSchema>;
export type UpdateServiceInput = z.infer<typeof UpdateServiceSchema>;
export type ListServiceDeploymentsInput = z.infer<typeof ListServiceDeploymentsSchema>;
export type CreateTaskSetInput = z.infer<typeof CreateTaskSetSchema>;
