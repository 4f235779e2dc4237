import { z } from "zod";

/** Request shapes of the Application Auto Scaling operations ecs-sim serves (PascalCase, as on the wire). */
const Namespace = z.string().min(1).max(1600);
const ResourceId = z.string().min(1).max(1600);
const Dimension = z.string().min(1);
const Capacity = z.number().int().min(0).max(2_147_483_647);
const Page = { MaxResults: z.number().int().min(1).max(50).optional(), NextToken: z.string().optional() };

const Suspended = z
  .object({
    DynamicScalingInSuspended: z.boolean().optional(),
    DynamicScalingOutSuspended: z.boolean().optional(),
    ScheduledScalingSuspended: z.boolean().optional(),
  })
  .strict();

export const RegisterScalableTargetSchema = z.object({
  ServiceNamespace: Namespace,
  ResourceId: ResourceId,
  ScalableDimension: Dimension,
  MinCapacity: Capacity.optional(),
  MaxCapacity: Capacity.optional(),
  RoleARN: z.string().min(1).max(1600).optional(),
  SuspendedState: Suspended.optional(),
  Tags: z.record(z.string()).optional(),
});

export const TargetRefSchema = z.object({ ServiceNamespace: Namespace, ResourceId: ResourceId, ScalableDimension: Dimension });

export const DescribeScalableTargetsSchema = z.object({
  ServiceNamespace: Namespace,
  ResourceIds: z.array(ResourceId).max(50).optional(),
  ScalableDimension: Dimension.optional(),
  ...Page,
});

const StepAdjustment = z.object({
  MetricIntervalLowerBound: z.number().optional(),
  MetricIntervalUpperBound: z.number().optional(),
  ScalingAdjustment: z.number().int(),
});

const StepConfig = z.object({
  AdjustmentType: z.enum(["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"]).optional(),
  StepAdjustments: z.array(StepAdjustment).optional(),
  MinAdjustmentMagnitude: z.number().int().optional(),
  Cooldown: z.number().int().min(0).optional(),
  MetricAggregationType: z.enum(["Average", "Minimum", "Maximum"]).optional(),
});

const MetricDimension = z.object({ Name: z.string().min(1), Value: z.string().min(1) });
const MetricStat = z.object({
  Metric: z.object({ Namespace: z.string().min(1), MetricName: z.string().min(1), Dimensions: z.array(MetricDimension).optional() }),
  Stat: z.string().min(1),
  Unit: z.string().optional(),
});
const TrackingQuery = z.object({
  Id: z.string().min(1),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  MetricStat: MetricStat.optional(),
  ReturnData: z.boolean().optional(),
});

export const CustomizedMetricSchema = z.object({
  MetricName: z.string().optional(),
  Namespace: z.string().optional(),
  Dimensions: z.array(MetricDimension).optional(),
  Statistic: z.enum(["Average", "Minimum", "Maximum", "SampleCount", "Sum"]).optional(),
  Unit: z.string().optional(),
  Metrics: z.array(TrackingQuery).optional(),
});

const TrackingConfig = z.object({
  TargetValue: z.number(),
  PredefinedMetricSpecification: z
    .object({
      PredefinedMetricType: z.enum(["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"]),
      ResourceLabel: z.string().optional(),
    })
    .optional(),
  CustomizedMetricSpecification: CustomizedMetricSchema.optional(),
  ScaleOutCooldown: z.number().int().min(0).optional(),
  ScaleInCooldown: z.number().int().min(0).optional(),
  DisableScaleIn: z.boolean().optional(),
});

export const PutScalingPolicySchema = TargetRefSchema.extend({
  PolicyName: z.string().min(1).max(256).regex(/^[^\x00-\x1f\x7f]+$/, "Member must satisfy regular expression pattern: \\p{Print}+"),
  PolicyType: z.enum(["StepScaling", "TargetTrackingScaling"]).default("StepScaling"),
  StepScalingPolicyConfiguration: StepConfig.optional(),
  TargetTrackingScalingPolicyConfiguration: TrackingConfig.optional(),
});

export const DeleteScalingPolicySchema = TargetRefSchema.extend({ PolicyName: z.string().min(1) });

export const DescribeScalingPoliciesSchema = z.object({
  ServiceNamespace: Namespace,
  PolicyNames: z.array(z.string()).max(50).optional(),
  ResourceId: ResourceId.optional(),
  ScalableDimension: Dimension.optional(),
  ...Page,
});

export const DescribeScalingActivitiesSchema = z.object({
  ServiceNamespace: Namespace,
  ResourceId: ResourceId.optional(),
  ScalableDimension: Dimension.optional(),
  IncludeNotScaledActivities: z.boolean().optional(),
  ...Page,
});

export const PutScheduledActionSchema = TargetRefSchema.extend({
  ScheduledActionName: z.string().min(1).max(256),
  Schedule: z.string().min(1).max(1600).optional(),
  Timezone: z.string().optional(),
  StartTime: z.number().optional(),
  EndTime: z.number().optional(),
  ScalableTargetAction: z.object({ MinCapacity: Capacity.optional(), MaxCapacity: Capacity.optional() }).optional(),
});

export const DeleteScheduledActionSchema = TargetRefSchema.extend({ ScheduledActionName: z.string().min(1) });

export const DescribeScheduledActionsSchema = z.object({
  ServiceNamespace: Namespace,
  ScheduledActionNames: z.array(z.string()).max(50).optional(),
  ResourceId: ResourceId.optional(),
  ScalableDimension: Dimension.optional(),
  ...Page,
});

export const TagResourceSchema = z.object({ ResourceARN: z.string().min(1), Tags: z.record(z.string()) });
export const ListTagsSchema = z.object({ ResourceARN: z.string().min(1) });
