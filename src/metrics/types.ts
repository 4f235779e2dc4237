/** CloudWatch's metric identity and data, as PutMetricData and GetMetricData carry them. */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  Namespace: string;
  MetricName: string;
  Dimensions?: Dimension[];
}

/** One published value, or a pre-aggregated set (StatisticValues). Times are epoch ms. */
export interface Datapoint {
  t: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export type Statistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";
export const STATISTICS: readonly Statistic[] = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"];

/** The key a metric is stored under: namespace, name and dimensions in a fixed order. */
export function metricKey(m: MetricId): string {
  const dims = [...(m.Dimensions ?? [])].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`);
  return `${m.Namespace}|${m.MetricName}|${dims.join(",")}`;
}
