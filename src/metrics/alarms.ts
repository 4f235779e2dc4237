import type { MetricDataQuery } from "./queries.js";
import { runQueries, toStatistic } from "./queries.js";
import type { MetricsState } from "./store.js";
import type { Dimension } from "./types.js";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

/** A metric alarm as DescribeAlarms shows it (times as epoch ms here, encoded on the wire). */
export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  InsufficientDataActions: string[];
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Statistic?: string;
  Metrics?: MetricDataQuery[];
  /** Seconds. */
  Period?: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: string;
  StateValue: AlarmState;
  StateReason: string;
  StateUpdatedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
}

export interface Evaluation {
  state: AlarmState;
  /** The newest evaluated value, what a step policy measures its breach against. */
  value?: number;
  reason: string;
}

/**
 * Evaluates an alarm as CloudWatch does at a minute boundary: the last EvaluationPeriods whole
 * periods, ALARM when at least DatapointsToAlarm of them breach, INSUFFICIENT_DATA when none has
 * data (missing data is "missing": neither breaching nor not).
 */
export function evaluateAlarm(alarm: MetricAlarm, metrics: MetricsState, now: number): Evaluation {
  const periodMs = alarmPeriod(alarm) * 1000;
  const end = Math.floor(now / periodMs) * periodMs;
  const start = end - alarm.EvaluationPeriods * periodMs;
  const values = alarmValues(alarm, metrics, start, end);
  if (values.length === 0) return { state: "INSUFFICIENT_DATA", reason: "Insufficient Data: no datapoints were received" };
  const needed = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const breaching = values.filter((v) => breaches(alarm.ComparisonOperator, v.value, alarm.Threshold));
  const newest = values[values.length - 1]!.value;
  const shown = values.map((v) => v.value).join(", ");
  if (breaching.length >= needed) {
    return {
      state: "ALARM",
      value: newest,
      reason: `Threshold Crossed: ${breaching.length} out of the last ${alarm.EvaluationPeriods} datapoints [${shown}] were ${phrase(alarm.ComparisonOperator)} the threshold (${alarm.Threshold}).`,
    };
  }
  return { state: "OK", value: newest, reason: `Threshold Crossed: ${breaching.length} out of the last ${alarm.EvaluationPeriods} datapoints were ${phrase(alarm.ComparisonOperator)} the threshold (${alarm.Threshold}).` };
}

function alarmPeriod(alarm: MetricAlarm): number {
  return alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
}

function alarmValues(alarm: MetricAlarm, metrics: MetricsState, start: number, end: number): { t: number; value: number }[] {
  if (alarm.Metrics?.length) {
    const results = runQueries(metrics, alarm.Metrics, start, end);
    const returned = alarm.Metrics.find((m) => m.ReturnData !== false && (m.Expression || m.MetricStat)) ?? alarm.Metrics[alarm.Metrics.length - 1]!;
    return [...(results.get(returned.Id) ?? new Map<number, number>())].filter(([t]) => t >= start && t < end).map(([t, value]) => ({ t, value }));
  }
  const metric = { Namespace: alarm.Namespace!, MetricName: alarm.MetricName!, Dimensions: alarm.Dimensions ?? [] };
  return metrics.statistics(metric, toStatistic(alarm.Statistic ?? "Average"), start, end, alarmPeriod(alarm) * 1000);
}

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

function phrase(op: ComparisonOperator): string {
  return {
    GreaterThanOrEqualToThreshold: "greater than or equal to",
    GreaterThanThreshold: "greater than",
    LessThanThreshold: "less than",
    LessThanOrEqualToThreshold: "less than or equal to",
  }[op];
}
