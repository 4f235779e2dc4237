/**
 * Application Auto Scaling's resources in one account and Region. Times are epoch ms here and
 * epoch seconds on the wire.
 */
export interface SuspendedState {
  DynamicScalingInSuspended: boolean;
  DynamicScalingOutSuspended: boolean;
  ScheduledScalingSuspended: boolean;
}

export interface ScalableTarget {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: number;
  SuspendedState: SuspendedState;
  ScalableTargetARN: string;
  /** When the last dynamic scale-out and scale-in happened, for cooldowns. */
  lastScaleOut?: number;
  lastScaleOutCapacity?: number;
  lastScaleIn?: number;
}

export interface StepAdjustment {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

export interface StepScalingPolicyConfiguration {
  AdjustmentType?: "ChangeInCapacity" | "PercentChangeInCapacity" | "ExactCapacity";
  StepAdjustments?: StepAdjustment[];
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: "Average" | "Minimum" | "Maximum";
}

export interface TargetTrackingConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: Record<string, unknown>;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: "StepScaling" | "TargetTrackingScaling";
  StepScalingPolicyConfiguration?: StepScalingPolicyConfiguration;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfiguration;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  CreationTime: number;
}

export interface ScalingActivity {
  ActivityId: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: "Pending" | "InProgress" | "Successful" | "Overridden" | "Unfulfilled" | "Failed";
  StatusMessage?: string;
}

export interface ScheduledAction {
  ScheduledActionName: string;
  ScheduledActionARN: string;
  ServiceNamespace: string;
  Schedule: string;
  Timezone?: string;
  ResourceId: string;
  ScalableDimension: string;
  StartTime?: number;
  EndTime?: number;
  ScalableTargetAction?: { MinCapacity?: number; MaxCapacity?: number };
  CreationTime: number;
  /** The next time it fires, when it fires again. */
  nextRun?: number;
}

/** How many activities are kept per Region (AWS keeps six weeks). */
export const MAX_ACTIVITIES = 1000;

export class AutoScalingState {
  readonly targets = new Map<string, ScalableTarget>();
  readonly policies = new Map<string, ScalingPolicy>();
  readonly scheduled = new Map<string, ScheduledAction>();
  readonly activities: ScalingActivity[] = [];

  addActivity(activity: ScalingActivity): void {
    this.activities.unshift(activity);
    if (this.activities.length > MAX_ACTIVITIES) this.activities.length = MAX_ACTIVITIES;
  }
}

export function targetKey(ns: string, resourceId: string, dimension: string): string {
  return `${ns}|${resourceId}|${dimension}`;
}
