import { z } from "zod";
import { ConfigError, formatZodIssues } from "../../config.js";

/**
 * The `spot` config section (also what PUT /_sim/spot patches):
 *
 *   spot: {
 *     warningMs: 120000,                // notice length: SIGKILL comes at the latest this long after the warning
 *     random: {                         // absent or null = no random interruptions (the default)
 *       meanIntervalMs: 3600000,        // mean time between interruptions, per running spot task, or
 *       probabilityPerMinute: 0.01,     // the chance that a running spot task is interrupted in a given minute
 *     },
 *     historySize: 1000,                // interruptions kept for GET /_sim/spot/interruptions
 *   }
 *
 * Both rate forms describe the same memoryless process (exponential time to interruption,
 * drawn from the seed when the task becomes RUNNING); give one of them.
 */
export const DEFAULT_WARNING_MS = 120_000;

export const SpotRandomSchema = z
  .object({
    meanIntervalMs: z.number().positive().finite().optional(),
    probabilityPerMinute: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((r) => !(r.meanIntervalMs !== undefined && r.probabilityPerMinute !== undefined), {
    message: "give either meanIntervalMs or probabilityPerMinute, not both",
  });

export const SpotConfigSchema = z
  .object({
    warningMs: z.number().int().min(0).max(24 * 3_600_000).default(DEFAULT_WARNING_MS),
    random: SpotRandomSchema.nullable().default(null),
    historySize: z.number().int().min(1).max(1_000_000).default(1000),
  })
  .strict();

/** PUT /_sim/spot: any subset; `random: null` turns random interruptions off. */
export const SpotPatchSchema = z
  .object({
    warningMs: z.number().int().min(0).max(24 * 3_600_000),
    random: SpotRandomSchema.nullable(),
  })
  .partial()
  .strict();

export type SpotRandom = z.infer<typeof SpotRandomSchema>;
export type SpotConfig = z.infer<typeof SpotConfigSchema>;
export type SpotConfigInput = z.input<typeof SpotConfigSchema>;
export type SpotPatch = z.infer<typeof SpotPatchSchema>;

export class SpotConfigError extends ConfigError {}

export function parseSpotConfig(input: unknown): SpotConfig {
  const result = SpotConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new SpotConfigError(`invalid spot configuration: ${formatZodIssues(result.error)}`);
  return result.data;
}

/**
 * Mean time to interruption (ms) for a rate, or undefined when the rate is off. A probability p
 * per minute is the exponential whose one-minute survival is 1 - p; p = 1 means "at once" (0).
 */
export function meanIntervalMs(random: SpotRandom | null | undefined): number | undefined {
  if (!random) return undefined;
  if (random.meanIntervalMs !== undefined) return random.meanIntervalMs;
  const p = random.probabilityPerMinute;
  if (p === undefined || p <= 0) return undefined;
  if (p >= 1) return 0;
  return -60_000 / Math.log(1 - p);
}

