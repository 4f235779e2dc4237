import { z } from "zod";
import { ConfigError, formatZodIssues } from "../config.js";
import { literalTargetRefusal } from "./webhook-targets.js";

/**
 * The `events` section of the simulator config. The root schema leaves it as an opaque record
 * (each module owns its own section), so it is parsed here, once, when the EventHub is built.
 */
const DurationMs = z.coerce.number().int().min(0);

export const WebhookSchema = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), "webhook url must be http:// or https://"),
  /** Only these detail-types are POSTed; absent = all. */
  detailTypes: z.array(z.string().min(1)).min(1).optional(),
  /** Only events of these clusters (name or ARN); absent = all. */
  clusters: z.array(z.string().min(1)).min(1).optional(),
  /** Extra request headers, e.g. an auth token the receiver checks. */
  headers: z.record(z.string()).optional(),
});

export const RetrySchema = z.object({
  /** Total attempts per event, the first included. */
  maxAttempts: z.coerce.number().int().min(1).max(100).default(5),
  initialDelayMs: DurationMs.default(1_000),
  maxDelayMs: DurationMs.default(30_000),
  multiplier: z.coerce.number().min(1).max(10).default(2),
});

export const EventsConfigSchema = z
  .object({
    /** How many recent events GET /_sim/events and SSE replay can return. */
    bufferSize: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    webhooks: z.array(WebhookSchema).default([]),
    retry: RetrySchema.default({}),
    /** Per-attempt HTTP deadline; a hung receiver must not pin a delivery forever. */
    webhookTimeoutMs: z.coerce.number().int().min(1).default(5_000),
    /** Deliveries waiting or in flight per webhook; beyond it new events are dropped (and logged). */
    maxPendingDeliveries: z.coerce.number().int().min(1).default(1_000),
    /** SSE comment interval, so idle proxies and clients do not drop the stream. */
    sseKeepAliveMs: z.coerce.number().int().min(100).default(15_000),
    /** Open SSE streams at most; one more is refused with 503 TooManyStreams. */
    sseMaxClients: z.coerce.number().int().min(1).max(10_000).default(64),
    /** Output waiting for one SSE client beyond which it counts as stuck and is disconnected. */
    sseMaxBufferBytes: z.coerce.number().int().min(1024).default(1024 * 1024),
    /**
     * Publish "ecs-sim Task Placement Failure" for every placement on container instances that
     * left tasks unplaced. AWS emits no such event; false keeps the stream AWS-shaped only.
     */
    placementFailures: z.boolean().default(true),
    /** Let webhooks reach link-local/metadata addresses and the simulator's own API. */
    allowUnsafeWebhookTargets: z.boolean().default(false),
  })
  .superRefine((events, ctx) => {
    if (events.allowUnsafeWebhookTargets) return;
    events.webhooks.forEach((w, i) => {
      const refusal = literalTargetRefusal(w.url);
      if (refusal) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["webhooks", i, "url"], message: refusal });
    });
  })
  .default({});

export type EventsConfig = z.infer<typeof EventsConfigSchema>;
export type EventsConfigInput = z.input<typeof EventsConfigSchema>;
export type WebhookConfig = z.infer<typeof WebhookSchema>;
export type RetryConfig = z.infer<typeof RetrySchema>;

/** Parses `config.events` (possibly undefined) with errors phrased like the root config's. */
export function parseEventsConfig(input: unknown): EventsConfig {
  const result = EventsConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(`invalid configuration: ${formatZodIssues(result.error, "events")}`);
  return result.data;
}
