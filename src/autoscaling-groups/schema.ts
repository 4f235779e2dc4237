import { z } from "zod";

const Hook = z.object({
  name: z.string().min(1).max(255),
  transition: z.literal("autoscaling:EC2_INSTANCE_TERMINATING").default("autoscaling:EC2_INSTANCE_TERMINATING"),
  /** Seconds; Auto Scaling's default is one hour. */
  heartbeatTimeout: z.number().int().min(30).max(7200).default(3600),
  defaultResult: z.enum(["CONTINUE", "ABANDON"]).default("ABANDON"),
});

const BootDelay = z.union([
  z.number().int().min(0),
  z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }).refine((d) => d.min <= d.max, "bootDelayMs.min must not exceed bootDelayMs.max"),
]);

/**
 * A simulated Auto Scaling group as the admin API, the config file and scenarios define it.
 * `arn` lets a user reuse the ARN their capacity provider (or Terraform) already names.
 */
export const AutoScalingGroupSpecSchema = z
  .object({
    name: z.string().regex(/^[^:]{1,255}$/, "name: 1-255 characters, no colon"),
    arn: z.string().regex(/^arn:[^:]+:autoscaling:[^:]+:\d{12}:autoScalingGroup:[^:]+:autoScalingGroupName\/[^:]+$/).optional(),
    minSize: z.number().int().min(0),
    maxSize: z.number().int().min(0),
    desiredCapacity: z.number().int().min(0).optional(),
    instanceType: z.string().min(1),
    availabilityZones: z.array(z.string().min(1)).min(1).optional(),
    cluster: z.string().min(1).optional(),
    newInstancesProtectedFromScaleIn: z.boolean().default(false),
    lifecycleHooks: z.array(Hook).max(50).default([]),
    /** Launch to InService and agent registration, on the simulator's clock; a range is drawn from the seeded random source. */
    bootDelayMs: BootDelay.optional(),
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().min(1).optional(),
  })
  .strict()
  .refine((g) => g.minSize <= g.maxSize, "minSize must not exceed maxSize")
  .refine((g) => g.desiredCapacity === undefined || (g.desiredCapacity >= g.minSize && g.desiredCapacity <= g.maxSize), "desiredCapacity must be between minSize and maxSize")
  .refine((g) => !g.arn || g.arn.endsWith(`autoScalingGroupName/${g.name}`), "arn must end with autoScalingGroupName/<name>");

export type AutoScalingGroupSpec = z.infer<typeof AutoScalingGroupSpecSchema>;
export type AutoScalingGroupSpecInput = z.input<typeof AutoScalingGroupSpecSchema>;
