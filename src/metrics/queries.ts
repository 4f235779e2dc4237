import { evaluateExpression } from "./expression.js";
import type { MetricsState } from "./store.js";
import { STATISTICS, type MetricId, type Statistic } from "./types.js";

/** GetMetricData's query shape (and a metric-math alarm's `Metrics`). Periods in seconds. */
export interface MetricDataQuery {
  Id: string;
  MetricStat?: { Metric: MetricId; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

export type QuerySeries = Map<number, number>;

/** Every query's values by period start (epoch ms), expressions evaluated after the metrics they name. */
export function runQueries(metrics: MetricsState, queries: MetricDataQuery[], start: number, end: number): Map<string, QuerySeries> {
  const out = new Map<string, QuerySeries>();
  for (const q of queries) {
    if (!q.MetricStat) continue;
    const stat = toStatistic(q.MetricStat.Stat);
    const periodMs = q.MetricStat.Period * 1000;
    const alignedStart = Math.floor(start / periodMs) * periodMs;
    out.set(q.Id, new Map(metrics.statistics(q.MetricStat.Metric, stat, alignedStart, end, periodMs).map((p) => [p.t, p.value])));
  }
  for (const q of queries) {
    if (!q.Expression) continue;
    const times = new Set<number>();
    for (const series of out.values()) for (const t of series.keys()) times.add(t);
    const series: QuerySeries = new Map();
    for (const t of [...times].sort((a, b) => a - b)) {
      const values = Object.fromEntries([...out].map(([id, s]) => [id, s.get(t)]));
      const v = evaluateExpression(q.Expression, values);
      if (v !== undefined && Number.isFinite(v)) series.set(t, v);
    }
    out.set(q.Id, series);
  }
  return out;
}

/** "Average", "Sum"…; percentiles are not kept, so they read as the average. */
export function toStatistic(stat: string): Statistic {
  return (STATISTICS as readonly string[]).includes(stat) ? (stat as Statistic) : "Average";
}
