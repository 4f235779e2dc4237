import type { FastifyInstance } from "fastify";
import type { Clock } from "../../core/clock.js";
import type { Scope } from "../../domain/scope.js";
import { applyMetricSetting, MetricSettingSchema } from "../../metrics/setting.js";
import type { Store } from "../../state/store.js";
import { formatZodIssues } from "../../config.js";
import { badRequest, jsonBody } from "./errors.js";

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
