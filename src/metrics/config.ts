import { z } from "zod";
import { ConfigError, formatZodIssues } from "../config.js";

/**
 * The `metrics` config section: real SQS queues whose depth the simulator polls (ecs-sim does not
 * emulate SQS; it reads a queue the user runs, e.g. ElasticMQ, LocalStack or AWS itself).
 */
export const SqsQueueSchema = z
  .object({
    queueUrl: z.string().url(),
    /** The SQS endpoint; default: the SDK's for the region. */
    endpoint: z.string().url().optional(),
    /** The queue's region (SDK client); default: the simulator's region. */
    region: z.string().min(1).optional(),
    periodSeconds: z.number().int().min(1).default(60),
    /** Static credentials for the queue's endpoint; default: the SDK's provider chain. */
    credentials: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().optional() }).strict().optional(),
    /** Where the metric is filed: default the simulator's account and region. */
    account: z.string().regex(/^\d{12}$/).optional(),
    metricRegion: z.string().min(1).optional(),
  })
  .strict();

export const MetricsConfigSchema = z.object({ sqs: z.array(SqsQueueSchema).default([]) }).strict();

export type SqsQueueConfig = z.infer<typeof SqsQueueSchema>;
export type MetricsConfig = z.infer<typeof MetricsConfigSchema>;

export function parseMetricsConfig(input: unknown): MetricsConfig {
  const result = MetricsConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(`invalid metrics configuration: ${formatZodIssues(result.error)}`);
  return result.data;
}
