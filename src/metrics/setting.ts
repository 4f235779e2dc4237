import { z } from "zod";
import type { Clock } from "../core/clock.js";
import { durationMs } from "../core/duration.js";
import type { Scope } from "../domain/scope.js";
import type { Store } from "../state/store.js";

const Offset = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = durationMs(v);
  if (ms === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a duration: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

/**
 * A value a test or a scenario sets for a metric: from now on, or as steps at offsets from now.
 * PUT /_sim/metrics and a scenario's `metric` step take this one shape.
 */
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

/** Applies a set metric: the gauge the scaling loop and GetMetricData read. */
export function applyMetricSetting(store: Store, clock: Clock, defaults: Scope, m: MetricSetting): void {
  const now = clock.now();
  const id = { Namespace: m.namespace, MetricName: m.name, Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })) };
  const steps = m.series ? m.series.map((s) => ({ at: now + s.at, value: s.value })) : [{ at: now, value: m.value! }];
  store.region(m.account ?? defaults.account, m.region ?? defaults.region).metrics.setGauge(id, steps);
}
