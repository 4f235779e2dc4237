import { z } from "zod";
import { ConfigError } from "../../config.js";

/**
 * The `services` section of the simulator configuration (owned by the service scheduler).
 * Every value is a tunable of the simulator, not an AWS fact, except where a comment says so.
 */
const Ms = z.number().int().min(0);

export const ServicesConfigSchema = z
  .object({
    /** How often every live service is reconciled even when nothing happened (ms). */
    reconcileIntervalMs: Ms.min(10).optional(),
    /**
     * How long a RUNNING task without container health checks must stay up before it counts as
     * healthy for a deployment. AWS documents 40 s; the default is 40 s under the
     * realistic timing profile and 1 s under the fast one.
     */
    healthyAfterMs: Ms.optional(),
    /** First retry delay after a task could not be placed (quota, capacity, throttling); doubles. */
    placementRetryMs: Ms.min(1).default(5_000),
    /** Longest retry delay after placement failures. */
    placementRetryMaxMs: Ms.min(1).default(60_000),
    /** Consecutive failed task starts after which the service is "unable to consistently start tasks". */
    startFailureThreshold: z.number().int().min(1).default(3),
    /** First launch delay once start failures pile up; doubles per further failure. */
    startFailureBackoffMs: Ms.min(1).default(10_000),
    /** Longest delay between launches of a service that keeps failing (AWS: 15 minutes). */
    startFailureBackoffMaxMs: Ms.min(1).default(900_000),
    /** How long a DRAINING service with no tasks left takes to become INACTIVE. */
    drainingMs: Ms.default(0),
    loadBalancer: z
      .object({
        /** Serve a local front door per target group. */
        enabled: z.boolean().default(true),
        host: z.string().default("127.0.0.1"),
        /** First port handed out (then +1 per target group); 0 = an ephemeral port each. */
        basePort: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ServicesConfigInput = z.input<typeof ServicesConfigSchema>;

export interface ServicesConfig {
  reconcileIntervalMs: number;
  healthyAfterMs: number;
  placementRetryMs: number;
  placementRetryMaxMs: number;
  startFailureThreshold: number;
  startFailureBackoffMs: number;
  startFailureBackoffMaxMs: number;
  drainingMs: number;
  loadBalancer: { enabled: boolean; host: string; basePort: number };
}

export class ServicesConfigError extends ConfigError {}

export function parseServicesConfig(input: unknown, timing: "fast" | "realistic"): ServicesConfig {
  const parsed = ServicesConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `services.${i.path.join(".")}: ${i.message}`);
    throw new ServicesConfigError(`invalid configuration: ${issues.join("; ")}`);
  }
  const c = parsed.data;
  return {
    ...c,
    reconcileIntervalMs: c.reconcileIntervalMs ?? (timing === "fast" ? 250 : 1_000),
    healthyAfterMs: c.healthyAfterMs ?? (timing === "fast" ? 1_000 : 40_000),
  };
}
