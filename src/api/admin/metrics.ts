import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Clock } from "../../core/clock.js";
import { durationMs } from "../../core/duration.js";
import type { Scope } from "../../domain/scope.js";
import type { Store } from "../../state/store.js";
import { formatZodIssues } from "../../config.js";
import { badRequest, jsonBody } from "./errors.js";

const Offset = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = durationMs(v);
  if (ms === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a duration: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

/** A value a test sets for a metric: from now on, or as steps at offsets from now. */
export const MetricSettingSchema = z
  .object({
    namespace: z.string().min(1),
    name: z.string().min(1),
    dimensions: z.record(z.string()).default({}),
    value: z.number().finite().optional(),
    series: z.array(z.object({ at: Offset, value: z.number().finite() })).min(1).optional(),
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().min(1).optional(),
  })
  .strict()
  .refine((m) => (m.value === undefined) !== (m.series === undefined), { message: "give either value or series" });

export type MetricSetting = z.infer<typeof MetricSettingSchema>;

/** Applies a test-set metric: the gauge the scaling loop and GetMetricData read. */
export function applyMetricSetting(store: Store, clock: Clock, defaults: Scope, m: MetricSetting): void {
  const now = clock.now();
  const id = { Namespace: m.namespace, MetricName: m.name, Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })) };
  const steps = m.series ? m.series.map((s) => ({ at: now + s.at, value: s.value })) : [{ at: now, value: m.value! }];
  store.region(m.account ?? defaults.account, m.region ?? defaults.region).metrics.setGauge(id, steps);
}

/**
 * Metrics and scaling on the admin API:
 *   PUT /_sim/metrics      {namespace, name, dimensions?, value | series: [{at: "30s", value}], account?, region?}
 *   GET /_sim/metrics      every metric with its datapoint count and test-set values
 *   GET /_sim/autoscaling  scalable targets, policies, alarms (with state) and recent scaling activities
 */
export function registerMetricsAdminRoutes(app: FastifyInstance, deps: { clock: Clock; store: Store; defaults: Scope }): void {
  app.put("/_sim/metrics", async (request, reply) => {
    const body = jsonBody(request.body, false);
    if (body instanceof Error) return badRequest(reply, body.message);
    const parsed = MetricSettingSchema.safeParse(body);
    if (!parsed.success) return badRequest(reply, `invalid metric: ${formatZodIssues(parsed.error)}`);
    applyMetricSetting(deps.store, deps.clock, deps.defaults, parsed.data);
    return { status: "set" };
  });

  app.get("/_sim/metrics", async () => ({
    regions: deps.store.allRegions().map((r) => ({ account: r.account, region: r.region, metrics: r.metrics.list() })),
  }));

  app.get("/_sim/autoscaling", async () => ({
    regions: deps.store.allRegions().map((r) => ({
      account: r.account,
      region: r.region,
      scalableTargets: [...r.autoscaling.targets.values()],
      policies: [...r.autoscaling.policies.values()],
      alarms: [...r.alarms.values()].map((a) => ({ AlarmName: a.AlarmName, StateValue: a.StateValue, StateReason: a.StateReason, Threshold: a.Threshold, AlarmActions: a.AlarmActions })),
      scheduledActions: [...r.autoscaling.scheduled.values()],
      activities: r.autoscaling.activities.slice(0, 100),
    })),
  }));
}
