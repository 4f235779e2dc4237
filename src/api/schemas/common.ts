import { z } from "zod";

/** Shapes shared by several operations, following the ECS service model. */
export const Str = z.string();
/** The model's Integer is a Java int: values beyond it (1e308) are refused, not stored. */
export const Int = z.number().int().min(-2_147_483_648).max(2_147_483_647);
/** Sizes, counts and timeouts: a negative one has no meaning. */
export const Count = Int.min(0);
export const Bool = z.boolean();
export const StrList = z.array(z.string());

/** AWS's wording for a value outside a member's pattern. */
export function pattern(regex: RegExp, shown: string = regex.source): z.ZodString {
  return z.string().regex(regex, `Member must satisfy regular expression pattern: ${shown}`);
}

/**
 * Names, identifiers and image references: no control characters (NUL, CR, LF...), which no
 * container runtime, log line or HTTP header downstream can carry intact.
 */
export const Name = pattern(/^[^\u0000-\u001f\u007f]*$/u, "[^\\u0000-\\u001f\\u007f]*");

// TagKey and TagValue of the ECS model, and the pattern text AWS prints.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
export const TagSchema = z.object({
  key: pattern(TAG_CHARS, TAG_PATTERN).min(1).max(128),
  value: pattern(TAG_CHARS, TAG_PATTERN).max(256).optional(),
});
export const TagsSchema = z.array(TagSchema).max(200);

export const KeyValuePairSchema = z.object({ name: Name.optional(), value: Str.optional() });

export const LaunchTypeSchema = z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]);

export const CapacityProviderStrategyItemSchema = z.object({
  capacityProvider: Name.min(1).max(255),
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
  cpu: Count.optional(),
  memory: Count.optional(),
  memoryReservation: Count.optional(),
  resourceRequirements: z.array(z.object({ value: Str, type: z.enum(["GPU", "InferenceAccelerator"]) })).optional(),
});

export const TaskOverrideSchema = z.object({
  containerOverrides: z.array(ContainerOverrideSchema).optional(),
  cpu: Str.optional(),
  inferenceAcceleratorOverrides: z.array(z.object({ deviceName: Str.optional(), deviceType: Str.optional() })).optional(),
  executionRoleArn: Str.optional(),
  memory: Str.optional(),
  taskRoleArn: Str.optional(),
  ephemeralStorage: z.object({ sizeInGiB: Count }).optional(),
});

export const PaginationSchema = {
  nextToken: Name.optional(),
  maxResults: Int.optional(),
};
