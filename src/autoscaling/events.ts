import type { DomainEvents } from "../core/events.js";
import type { Scope } from "../domain/scope.js";
import type { AlarmState, MetricAlarm } from "../metrics/alarms.js";
import type { ScalableTarget, ScalingActivity } from "./state.js";

export const SCALING_ACTIVITY_STATE_CHANGE = "Application Auto Scaling Scaling Activity State Change";
export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

/** EventBridge's whole-second times, as in AWS's sample of this event. */
const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * A scaling activity as Application Auto Scaling sends it to EventBridge. AWS sends it only when
 * a target reaches its maximum (scaledToMax true); the simulator sends one for every activity
 * with the same fields, so a reader that wants AWS's stream matches detail.scaledToMax = true.
 * activityId, description and cause are the simulator's additions (DescribeScalingActivities' values).
 */
export function scalingActivityEvent(scope: Scope, target: ScalableTarget, activity: ScalingActivity, oldCapacity: number, newCapacity: number): DomainEvents["aws.event"] {
  return {
    ...scope,
    source: "aws.application-autoscaling",
    detailType: SCALING_ACTIVITY_STATE_CHANGE,
    resources: [],
    detail: {
      startTime: seconds(activity.StartTime),
      endTime: seconds(activity.EndTime ?? activity.StartTime),
      newDesiredCapacity: newCapacity,
      oldDesiredCapacity: oldCapacity,
      minCapacity: target.MinCapacity,
      maxCapacity: target.MaxCapacity,
      resourceId: target.ResourceId,
      scalableDimension: target.ScalableDimension,
      serviceNamespace: target.ServiceNamespace,
      statusCode: activity.StatusCode,
      scaledToMax: newCapacity >= target.MaxCapacity && newCapacity > oldCapacity,
      direction: newCapacity > oldCapacity ? "scale-out" : "scale-in",
      activityId: activity.ActivityId,
      description: activity.Description,
      cause: activity.Cause,
    },
  };
}

/** CloudWatch's timestamps in alarm events: "2019-10-02T17:20:03.642+0000". */
const alarmTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

/** An alarm's state change as CloudWatch sends it to EventBridge. */
export function alarmStateEvent(scope: Scope, alarm: MetricAlarm, previous: { value: AlarmState; reason: string; timestamp: number }): DomainEvents["aws.event"] {
  const metrics = alarm.Metrics?.length
    ? alarm.Metrics.map((m) => ({
        id: m.Id,
        ...(m.Expression ? { expression: m.Expression } : {}),
        ...(m.MetricStat ? { metricStat: metricStat(m.MetricStat.Metric, m.MetricStat.Period, m.MetricStat.Stat) } : {}),
        returnData: m.ReturnData ?? true,
      }))
    : [{ id: "m1", metricStat: metricStat({ Namespace: alarm.Namespace!, MetricName: alarm.MetricName!, Dimensions: alarm.Dimensions ?? [] }, alarm.Period ?? 60, alarm.Statistic ?? "Average"), returnData: true }];
  return {
    ...scope,
    source: "aws.cloudwatch",
    detailType: ALARM_STATE_CHANGE,
    resources: [alarm.AlarmArn],
    detail: {
      alarmName: alarm.AlarmName,
      state: { value: alarm.StateValue, reason: alarm.StateReason, timestamp: alarmTime(alarm.StateUpdatedTimestamp) },
      previousState: { value: previous.value, reason: previous.reason, timestamp: alarmTime(previous.timestamp) },
      configuration: { ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}), metrics },
    },
  };
}

function metricStat(metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }, period: number, stat: string) {
  return {
    metric: { namespace: metric.Namespace, name: metric.MetricName, dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, d.Value])) },
    period,
    stat,
  };
}
