import { z } from "zod";
import {
  Bool,
  CapacityProviderStrategySchema,
  Int,
  LaunchTypeSchema,
  Name,
  NetworkConfigurationSchema,
  PaginationSchema,
  PlacementConstraintSchema,
  PlacementStrategySchema,
  Str,
  StrList,
  TagsSchema,
  TaskOverrideSchema,
} from "./common.js";

export const RunTaskSchema = z.object({
  capacityProviderStrategy: CapacityProviderStrategySchema.optional(),
  cluster: Str.optional(),
  count: Int.optional(),
  enableECSManagedTags: Bool.optional(),
  enableExecuteCommand: Bool.optional(),
  group: Name.max(255).optional(),
  launchType: LaunchTypeSchema.optional(),
  networkConfiguration: NetworkConfigurationSchema.optional(),
  overrides: TaskOverrideSchema.optional(),
  placementConstraints: z.array(PlacementConstraintSchema).optional(),
  placementStrategy: z.array(PlacementStrategySchema).optional(),
  platformVersion: Str.optional(),
  propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
  referenceId: Name.max(1024).optional(),
  startedBy: Name.max(128).optional(),
  tags: TagsSchema.optional(),
  taskDefinition: Str,
  clientToken: Name.max(64).optional(),
  volumeConfigurations: z.array(z.object({ name: Str }).passthrough()).optional(),
});

export const StartTaskSchema = z.object({
  cluster: Str.optional(),
  containerInstances: StrList,
  enableECSManagedTags: Bool.optional(),
  enableExecuteCommand: Bool.optional(),
  group: Name.max(255).optional(),
  networkConfiguration: NetworkConfigurationSchema.optional(),
  overrides: TaskOverrideSchema.optional(),
  propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
  referenceId: Name.max(1024).optional(),
  startedBy: Name.max(128).optional(),
  tags: TagsSchema.optional(),
  taskDefinition: Str,
  volumeConfigurations: z.array(z.object({ name: Str }).passthrough()).optional(),
});

export const StopTaskSchema = z.object({
  cluster: Str.optional(),
  task: Str,
  reason: Str.max(255).optional(),
});

export const DescribeTasksSchema = z.object({
  cluster: Str.optional(),
  tasks: StrList,
  include: z.array(z.literal("TAGS")).optional(),
});

export const ListTasksSchema = z.object({
  cluster: Str.optional(),
  containerInstance: Str.optional(),
  family: Str.optional(),
  startedBy: Str.optional(),
  serviceName: Str.optional(),
  desiredStatus: z.enum(["RUNNING", "PENDING", "STOPPED"]).optional(),
  launchType: LaunchTypeSchema.optional(),
  ...PaginationSchema,
});

export const UpdateTaskProtectionSchema = z.object({
  cluster: Str,
  tasks: StrList.min(1).max(10),
  protectionEnabled: Bool,
  expiresInMinutes: Int.min(1).max(2880).optional(),
});

export const GetTaskProtectionSchema = z.object({
  cluster: Str,
  tasks: StrList.max(100).optional(),
});
