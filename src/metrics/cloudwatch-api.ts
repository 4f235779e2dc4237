import { z } from "zod";
import type { Clock } from "../core/clock.js";
import type { Scope } from "../domain/scope.js";
import { AwsError } from "../errors/aws-errors.js";
import { validationError } from "../api/validation.js";
import type { Store } from "../state/store.js";
import type { MetricAlarm } from "./alarms.js";
import { runQueries } from "./queries.js";
import { STATISTICS, type Datapoint, type Statistic } from "./types.js";

/** CloudWatch's JSON target prefix (awsJson1_0), which the JavaScript SDK v3 speaks. */
export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";

/** What the query protocol (older boto3, the AWS CLI v1) needs to read CloudWatch's forms. */
export const CLOUDWATCH_QUERY = {
  version: "2010-08-01",
  xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
  numeric: new Set([
    "Value", "Values", "Counts", "SampleCount", "Sum", "Minimum", "Maximum", "StorageResolution", "Period",
    "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "MaxRecords", "MaxDatapoints",
  ]),
  boolean: new Set(["ActionsEnabled", "ReturnData"]),
  /** The query protocol's codes drop the "Exception" suffix of a few types. */
  errorCode: (err: AwsError): string => (err.code === "InvalidParameterValueException" ? "InvalidParameterValue" : err.code),
};

export class InvalidParameterValueException extends AwsError {
  readonly code = "InvalidParameterValueException";
}
export class CloudWatchResourceNotFound extends AwsError {
  readonly code = "ResourceNotFound";
  override readonly status = 404;
}

/** Timestamps arrive as epoch seconds (JSON, CBOR) or ISO 8601 (query). */
const Time = z.union([z.number(), z.string().datetime({ offset: true }), z.date()]).transform((t) => (t instanceof Date ? t.getTime() : typeof t === "number" ? t * 1000 : Date.parse(t)));
const Dimension = z.object({ Name: z.string().min(1).max(255), Value: z.union([z.string(), z.number().transform(String)]).pipe(z.string().min(1).max(1024)) });
const Dimensions = z.array(Dimension).max(30).optional();
const Metric = z.object({ Namespace: z.string().min(1).max(255), MetricName: z.string().min(1).max(255), Dimensions });

const PutMetricDataSchema = z.object({
  Namespace: z.string().min(1).max(255),
  MetricData: z
    .array(
      z.object({
        MetricName: z.string().min(1).max(255),
        Dimensions,
        Timestamp: Time.optional(),
        Value: z.number().finite().optional(),
        Values: z.array(z.number().finite()).optional(),
        Counts: z.array(z.number().finite()).optional(),
        StatisticValues: z.object({ SampleCount: z.number(), Sum: z.number(), Minimum: z.number(), Maximum: z.number() }).optional(),
        Unit: z.string().optional(),
        StorageResolution: z.number().int().optional(),
      }),
    )
    .min(1)
    .max(1000),
});

const GetMetricStatisticsSchema = Metric.extend({
  StartTime: Time,
  EndTime: Time,
  Period: z.number().int().min(1),
  Statistics: z.array(z.enum(STATISTICS as [Statistic, ...Statistic[]])).min(1).max(5).optional(),
  ExtendedStatistics: z.array(z.string()).optional(),
  Unit: z.string().optional(),
});

const Query = z.object({
  Id: z.string().min(1).max(255),
  MetricStat: z.object({ Metric, Period: z.number().int().min(1), Stat: z.string().min(1), Unit: z.string().optional() }).optional(),
  Expression: z.string().min(1).max(2048).optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().int().optional(),
});

const GetMetricDataSchema = z.object({
  MetricDataQueries: z.array(Query).min(1).max(500),
  StartTime: Time,
  EndTime: Time,
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: z.number().int().optional(),
  NextToken: z.string().optional(),
});

const PutMetricAlarmSchema = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: z.boolean().optional(),
  OKActions: z.array(z.string()).optional(),
  AlarmActions: z.array(z.string()).optional(),
  InsufficientDataActions: z.array(z.string()).optional(),
  MetricName: z.string().optional(),
  Namespace: z.string().optional(),
  Statistic: z.enum(STATISTICS as [Statistic, ...Statistic[]]).optional(),
  Dimensions,
  Period: z.number().int().min(1).optional(),
  Unit: z.string().optional(),
  EvaluationPeriods: z.number().int().min(1),
  DatapointsToAlarm: z.number().int().min(1).optional(),
  Threshold: z.number().optional(),
  ComparisonOperator: z.enum(["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]),
  TreatMissingData: z.string().optional(),
  Metrics: z.array(Query).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
});

const DescribeAlarmsSchema = z.object({
  AlarmNames: z.array(z.string()).max(100).optional(),
  AlarmNamePrefix: z.string().optional(),
  StateValue: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]).optional(),
  ActionPrefix: z.string().optional(),
  AlarmTypes: z.array(z.string()).optional(),
  MaxRecords: z.number().int().optional(),
  NextToken: z.string().optional(),
});

const DeleteAlarmsSchema = z.object({ AlarmNames: z.array(z.string()).max(100) });
const ListMetricsSchema = z.object({ Namespace: z.string().optional(), MetricName: z.string().optional(), NextToken: z.string().optional() });

type Op = [z.ZodTypeAny, (input: never, scope: Scope) => unknown];

/**
 * The CloudWatch subset that scaling needs: publish and read metrics, and the alarms that invoke
 * step scaling policies. Answers are plain objects with Dates; each wire protocol encodes them.
 */
export function cloudWatchOperations(deps: { clock: Clock; store: Store; onAlarmsChanged: () => void }): {
  handle(operation: string, input: unknown, scope: Scope): unknown;
} {
  const { clock, store } = deps;
  const region = (scope: Scope) => store.region(scope.account, scope.region);

  const ops: Record<string, Op> = {
    PutMetricData: [
      PutMetricDataSchema,
      (input: z.infer<typeof PutMetricDataSchema>, scope) => {
        const metrics = region(scope).metrics;
        for (const d of input.MetricData) {
          const id = { Namespace: input.Namespace, MetricName: d.MetricName, Dimensions: d.Dimensions ?? [] };
          const t = d.Timestamp ?? clock.now();
          for (const point of datapoints(d, t)) metrics.put(id, point);
        }
        return {};
      },
    ],
    GetMetricStatistics: [
      GetMetricStatisticsSchema,
      (input: z.infer<typeof GetMetricStatisticsSchema>, scope) => {
        const id = { Namespace: input.Namespace, MetricName: input.MetricName, Dimensions: input.Dimensions ?? [] };
        const stats = input.Statistics ?? [];
        const periodMs = input.Period * 1000;
        const byTime = new Map<number, Record<string, unknown>>();
        for (const stat of stats) {
          for (const p of region(scope).metrics.statistics(id, stat, input.StartTime, input.EndTime, periodMs)) {
            const row = byTime.get(p.t) ?? { Timestamp: new Date(p.t), Unit: input.Unit ?? "None" };
            row[stat] = p.value;
            byTime.set(p.t, row);
          }
        }
        return { Label: input.MetricName, Datapoints: [...byTime.values()] };
      },
    ],
    GetMetricData: [
      GetMetricDataSchema,
      (input: z.infer<typeof GetMetricDataSchema>, scope) => {
        const results = runQueries(region(scope).metrics, input.MetricDataQueries, input.StartTime, input.EndTime);
        const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
        return {
          MetricDataResults: input.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => {
            const points = [...(results.get(q.Id) ?? new Map<number, number>())].filter(([t]) => t >= input.StartTime && t < input.EndTime).sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
            return { Id: q.Id, Label: q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id, Timestamps: points.map(([t]) => new Date(t)), Values: points.map(([, v]) => v), StatusCode: "Complete" };
          }),
          Messages: [],
        };
      },
    ],
    PutMetricAlarm: [
      PutMetricAlarmSchema,
      (input: z.infer<typeof PutMetricAlarmSchema>, scope) => {
        const alarms = region(scope).alarms;
        const previous = alarms.get(input.AlarmName);
        const now = clock.now();
        const { Tags: _tags, ...config } = input;
        const alarm: MetricAlarm = {
          ...config,
          AlarmArn: `arn:aws:cloudwatch:${scope.region}:${scope.account}:alarm:${input.AlarmName}`,
          ActionsEnabled: input.ActionsEnabled ?? true,
          AlarmActions: input.AlarmActions ?? [],
          OKActions: input.OKActions ?? [],
          InsufficientDataActions: input.InsufficientDataActions ?? [],
          Threshold: input.Threshold ?? 0,
          StateValue: previous?.StateValue ?? "INSUFFICIENT_DATA",
          StateReason: previous?.StateReason ?? "Unchecked: Initial alarm creation",
          StateUpdatedTimestamp: previous?.StateUpdatedTimestamp ?? now,
          AlarmConfigurationUpdatedTimestamp: now,
        } as MetricAlarm;
        alarms.set(input.AlarmName, alarm);
        deps.onAlarmsChanged();
        return {};
      },
    ],
    DescribeAlarms: [
      DescribeAlarmsSchema,
      (input: z.infer<typeof DescribeAlarmsSchema>, scope) => {
        const found = [...region(scope).alarms.values()].filter(
          (a) =>
            (!input.AlarmNames?.length || input.AlarmNames.includes(a.AlarmName)) &&
            (!input.AlarmNamePrefix || a.AlarmName.startsWith(input.AlarmNamePrefix)) &&
            (!input.StateValue || a.StateValue === input.StateValue) &&
            (!input.ActionPrefix || a.AlarmActions.some((x) => x.startsWith(input.ActionPrefix!))),
        );
        return {
          MetricAlarms: found.map((a) => ({ ...a, StateUpdatedTimestamp: new Date(a.StateUpdatedTimestamp), AlarmConfigurationUpdatedTimestamp: new Date(a.AlarmConfigurationUpdatedTimestamp) })),
          CompositeAlarms: [],
        };
      },
    ],
    DeleteAlarms: [
      DeleteAlarmsSchema,
      (input: z.infer<typeof DeleteAlarmsSchema>, scope) => {
        const alarms = region(scope).alarms;
        const missing = input.AlarmNames.filter((n) => !alarms.has(n));
        if (missing.length) throw new CloudWatchResourceNotFound(`${missing.join(", ")} not found`);
        for (const n of input.AlarmNames) alarms.delete(n);
        return {};
      },
    ],
    ListMetrics: [
      ListMetricsSchema,
      (input: z.infer<typeof ListMetricsSchema>, scope) => ({
        Metrics: region(scope)
          .metrics.list()
          .map((m) => m.id)
          .filter((m) => (!input.Namespace || m.Namespace === input.Namespace) && (!input.MetricName || m.MetricName === input.MetricName)),
      }),
    ],
  };

  return {
    handle(operation, input, scope) {
      const op = Object.hasOwn(ops, operation) ? ops[operation] : undefined;
      if (!op) throw new InvalidParameterValueException(`ecs-sim does not implement the CloudWatch ${operation} operation.`);
      const parsed = op[0].safeParse(input ?? {});
      if (!parsed.success) throw validationError(parsed.error, input, (m) => new InvalidParameterValueException(m));
      return op[1](parsed.data as never, scope);
    },
  };
}

/** One PutMetricData entry as datapoints: a value, values with counts, or statistic values. */
function datapoints(d: { Value?: number | undefined; Values?: number[] | undefined; Counts?: number[] | undefined; StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number } | undefined }, t: number): Datapoint[] {
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    return [{ t, sum: s.Sum, count: s.SampleCount, min: s.Minimum, max: s.Maximum }];
  }
  if (d.Values?.length) {
    return d.Values.map((v, i) => {
      const n = d.Counts?.[i] ?? 1;
      return { t, sum: v * n, count: n, min: v, max: v };
    });
  }
  const v = d.Value ?? 0;
  return [{ t, sum: v, count: 1, min: v, max: v }];
}
