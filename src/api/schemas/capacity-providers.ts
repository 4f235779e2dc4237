import { z } from "zod";
import { Int, PaginationSchema, Str, StrList, TagsSchema } from "./common.js";

const Enabled = z.enum(["ENABLED", "DISABLED"]);

const ManagedScalingSchema = z.object({
  status: Enabled.optional(),
  targetCapacity: Int.min(1).max(100).optional(),
  minimumScalingStepSize: Int.min(1).max(10_000).optional(),
  maximumScalingStepSize: Int.min(1).max(10_000).optional(),
  instanceWarmupPeriod: Int.min(0).max(10_000).optional(),
});

export const CreateCapacityProviderSchema = z.object({
  name: Str,
  autoScalingGroupProvider: z.object({
    autoScalingGroupArn: Str,
    managedScaling: ManagedScalingSchema.optional(),
    managedTerminationProtection: Enabled.optional(),
    managedDraining: Enabled.optional(),
  }),
  tags: TagsSchema.optional(),
});

export const UpdateCapacityProviderSchema = z.object({
  name: Str,
  autoScalingGroupProvider: z.object({
    managedScaling: ManagedScalingSchema.optional(),
    managedTerminationProtection: Enabled.optional(),
    managedDraining: Enabled.optional(),
  }),
});

export const DeleteCapacityProviderSchema = z.object({ capacityProvider: Str });

export const DescribeCapacityProvidersSchema = z.object({
  capacityProviders: StrList.optional(),
  include: z.array(z.literal("TAGS")).optional(),
  ...PaginationSchema,
});
