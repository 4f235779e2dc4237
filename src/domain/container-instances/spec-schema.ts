import { z } from "zod";

/**
 * Simulated EC2 instances as the admin API, the config file and scenario files ask for them:
 * `count` instances of one type, spread over the given zones (or the region's a, b and c).
 */
export const InstanceRequestSchema = z
  .object({
    cluster: z.string().min(1).default("default"),
    instanceType: z.string().min(1),
    count: z.number().int().min(1).max(1000).default(1),
    availabilityZone: z.string().min(1).optional(),
    availabilityZones: z.array(z.string().min(1)).min(1).optional(),
    /** Custom attributes: `{name: value}` (null for a name-only attribute). */
    attributes: z.record(z.string().nullable()).default({}),
    capacityProvider: z.string().min(1).optional(),
    awsvpcTrunking: z.boolean().default(false),
    spotInstanceDraining: z.boolean().default(false),
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().min(1).optional(),
  })
  .strict();

export type InstanceRequest = z.infer<typeof InstanceRequestSchema>;

/** The zone of the n-th instance of a request: round robin over the zones it names. */
export function zoneFor(request: InstanceRequest, region: string, n: number): string {
  if (request.availabilityZone) return request.availabilityZone;
  const zones = request.availabilityZones ?? [`${region}a`, `${region}b`, `${region}c`];
  return zones[n % zones.length]!;
}

/** Which running instances a scenario step or admin call means: by id, by zone, or the first `count`. */
export const InstanceSelectorSchema = z
  .object({
    cluster: z.string().min(1).default("default"),
    ec2InstanceIds: z.array(z.string().min(1)).min(1).optional(),
    availabilityZone: z.string().min(1).optional(),
    count: z.number().int().min(1).optional(),
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().min(1).optional(),
  })
  .strict();

export type InstanceSelector = z.infer<typeof InstanceSelectorSchema>;
