import { z } from "zod";

/** Shapes shared by several operations, following the ECS service model. */
export const Str = z.string();
export const Int = z.number().int();
export const Bool = z.boolean();
export const StrList = z.array(z.string());

export const TagSchema = z.object({
  key: z.string().min(1).max(128),
  value: z.string().max(256).optional(),
});
export const TagsSchema = z.array(TagSchema).max(200);

export const KeyValuePairSchema = z.object({ name: Str.optional(), value: Str.optional() });

export const LaunchTypeSchema = z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]);

export const CapacityProviderStrategyItemSchema = z.object({
  capacityProvider: z.string().min(1).max(255),
  weight: Int.min(0).max(1000).optional(),
  base: Int.min(0).max(100000).optional(),
});
export const CapacityProviderStrategySchema = z.array(CapacityProviderStrategyItemSchema).max(20);

export const NetworkConfigurationSchema = z.object({
  awsvpcConfiguration: z
    .object({
      subnets: StrList,
      securityGroups: StrList.optional(),
      assignPublicIp: z.enum(["ENABLED", "DISABLED"]).optional(),
    })
    .optional(),
});

export const PlacementConstraintSchema = z.object({
  type: z.enum(["distinctInstance", "memberOf"]).optional(),
  expression: Str.optional(),
});
export const PlacementStrategySchema = z.object({
  type: z.enum(["random", "spread", "binpack"]).optional(),
  field: Str.optional(),
});

export const EnvironmentFileSchema = z.object({ value: Str, type: z.literal("s3") });

export const ContainerOverrideSchema = z.object({
  name: Str.optional(),
  command: StrList.optional(),
  environment: z.array(KeyValuePairSchema).optional(),
  environmentFiles: z.array(EnvironmentFileSchema).optional(),
  cpu: Int.optional(),
  memory: Int.optional(),
  memoryReservation: Int.optional(),
  resourceRequirements: z.array(z.object({ value: Str, type: z.enum(["GPU", "InferenceAccelerator"]) })).optional(),
});

export const TaskOverrideSchema = z.object({
  containerOverrides: z.array(ContainerOverrideSchema).optional(),
  cpu: Str.optional(),
  inferenceAcceleratorOverrides: z.array(z.object({ deviceName: Str.optional(), deviceType: Str.optional() })).optional(),
  executionRoleArn: Str.optional(),
  memory: Str.optional(),
  taskRoleArn: Str.optional(),
  ephemeralStorage: z.object({ sizeInGiB: Int }).optional(),
});

export const PaginationSchema = {
  nextToken: Str.optional(),
  maxResults: Int.optional(),
};
