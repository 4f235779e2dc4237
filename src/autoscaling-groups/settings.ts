import { z } from "zod";

/** The `ec2AutoScaling` config section: timings of the simulated groups and of managed scaling. */
export const Ec2AutoScalingSettingsSchema = z
  .object({
    /** How often managed scaling computes CapacityProviderReservation and acts (AWS: each minute). */
    intervalMs: z.number().int().min(1000).default(60_000),
    /** Minutes below target before a scale-in, as target tracking's scale-in alarm (AWS: 15 datapoints of 1 minute). */
    scaleInAfterMs: z.number().int().min(0).default(15 * 60_000),
    /** Boot delay of groups that set none: launch to InService and agent registration. */
    defaultBootDelayMs: z
      .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
      .refine((d) => d.min <= d.max, "min must not exceed max")
      .default({ min: 30_000, max: 60_000 }),
    /** How often a draining instance's remaining tasks are counted. */
    drainPollMs: z.number().int().min(100).default(5_000),
    /** Heartbeat timeout of the managed draining lifecycle hook (s). */
    managedDrainingTimeoutS: z.number().int().min(30).default(3600),
    /** How long UpdateCapacityProvider's UPDATE_IN_PROGRESS and DeleteCapacityProvider's DELETE_IN_PROGRESS last. */
    capacityProviderSettleMs: z.number().int().min(0).default(1000),
  })
  .strict();

export type Ec2AutoScalingSettings = z.infer<typeof Ec2AutoScalingSettingsSchema>;
