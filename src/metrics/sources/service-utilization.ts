import type { Scope } from "../../domain/scope.js";
import type { TaskUsage } from "../../runtime/types.js";
import type { RegionState, Store } from "../../state/store.js";
import type { MetricAlarm } from "../alarms.js";
import type { MetricId } from "../types.js";
import type { MetricSample, MetricSource } from "./source.js";

const NAMESPACE = "AWS/ECS";
const METRICS = { CPUUtilization: "cpuPercent", MemoryUtilization: "memoryPercent" } as const;
type UtilizationMetric = keyof typeof METRICS;

/**
 * A service's CPUUtilization and MemoryUtilization (AWS/ECS, ClusterName + ServiceName), as ECS
 * publishes them each minute: one value per running task, measured by the runtime (container
 * stats under Docker, ECS_SIM_CPU / ECS_SIM_MEMORY profiles when simulated). Only services an
 * alarm watches are measured, and not while a test has set the metric by hand.
 */
export class ServiceUtilizationSource implements MetricSource {
  readonly name = "service utilization";
  readonly periodMs = 60_000;

  constructor(
    private readonly deps: { store: Store; usage: (taskArn: string) => Promise<TaskUsage | undefined> },
  ) {}

  needed(): boolean {
    return this.deps.store.allRegions().some((r) => this.watched(r).length > 0);
  }

  async sample(): Promise<MetricSample[]> {
    const out: MetricSample[] = [];
    for (const region of this.deps.store.allRegions()) {
      const scope: Scope = { account: region.account, region: region.region };
      const byService = new Map<string, { cluster: string; service: string; metrics: Set<UtilizationMetric> }>();
      for (const w of this.watched(region)) {
        const key = `${w.cluster}/${w.service}`;
        const entry = byService.get(key) ?? { cluster: w.cluster, service: w.service, metrics: new Set() };
        entry.metrics.add(w.metric);
        byService.set(key, entry);
      }
      for (const { cluster, service, metrics } of byService.values()) {
        const arns = [...region.serviceTasks(cluster, service)].filter((r) => r.task.lastStatus === "RUNNING").map((r) => r.task.taskArn!);
        const usages = (await Promise.all(arns.map((arn) => this.deps.usage(arn)))).filter((u): u is TaskUsage => u !== undefined);
        for (const metric of metrics) {
          out.push({ scope, id: serviceMetric(metric, cluster, service), values: usages.map((u) => u[METRICS[metric]]) });
        }
      }
    }
    return out;
  }

  /** The service metrics this Region's alarms read, directly or inside metric math. */
  private watched(region: RegionState): { cluster: string; service: string; metric: UtilizationMetric }[] {
    const out: { cluster: string; service: string; metric: UtilizationMetric }[] = [];
    for (const alarm of region.alarms.values()) {
      for (const id of alarmMetrics(alarm)) {
        if (id.Namespace !== NAMESPACE || !(id.MetricName in METRICS)) continue;
        const dims = new Map((id.Dimensions ?? []).map((d) => [d.Name, d.Value]));
        const cluster = dims.get("ClusterName");
        const service = dims.get("ServiceName");
        if (!cluster || !service || dims.size !== 2 || region.metrics.hasGauge(id)) continue;
        out.push({ cluster, service, metric: id.MetricName as UtilizationMetric });
      }
    }
    return out;
  }
}

function alarmMetrics(alarm: MetricAlarm): MetricId[] {
  if (alarm.Metrics?.length) return alarm.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
  return alarm.Namespace && alarm.MetricName ? [{ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions ?? [] }] : [];
}

export function serviceMetric(metric: UtilizationMetric, cluster: string, service: string): MetricId {
  return { Namespace: NAMESPACE, MetricName: metric, Dimensions: [{ Name: "ClusterName", Value: cluster }, { Name: "ServiceName", Value: service }] };
}
