import type { z } from "zod";
import type { Clock } from "../core/clock.js";
import type { SeededRandom } from "../core/random.js";
import type { Scope } from "../domain/scope.js";
import { validationError } from "../api/validation.js";
import type { MetricAlarm } from "../metrics/alarms.js";
import type { MetricDataQuery } from "../metrics/queries.js";
import { paginate as paginateList } from "../domain/pagination.js";
import type { Store } from "../state/store.js";
import { InvalidNextTokenException, ObjectNotFoundException, ScalingMessages as M, ValidationException } from "./errors.js";
import { nextRun, serviceRef, type AutoScaler, type ScalableServices } from "./scaler.js";
import * as S from "./schemas.js";
import { targetKey, type ScalableTarget, type ScalingPolicy, type ScheduledAction } from "./state.js";

export const AAS_TARGET_PREFIX = "AnyScaleFrontendService.";
const ECS_DIMENSION = "ecs:service:DesiredCount";

interface Deps {
  clock: Clock;
  random: SeededRandom;
  store: Store;
  services: ScalableServices;
  scaler: AutoScaler;
}

type Handler = (input: never, scope: Scope) => unknown;

/**
 * The Application Auto Scaling operations for ECS services (awsJson1_1, target prefix
 * AnyScaleFrontendService), served on the simulator's endpoint.
 */
export function applicationAutoScaling(deps: Deps) {
  const { clock, random, store } = deps;
  const region = (scope: Scope) => store.region(scope.account, scope.region).autoscaling;
  const arnPrefix = (scope: Scope, service: string) => `arn:aws:${service}:${scope.region}:${scope.account}`;

  const ops: Record<string, [z.ZodTypeAny, Handler]> = {
    RegisterScalableTarget: [
      S.RegisterScalableTargetSchema,
      (input: z.infer<typeof S.RegisterScalableTargetSchema>, scope) => {
        checkTarget(input);
        const ref = serviceRef(input.ResourceId)!;
        if (deps.services.desiredCount(scope, ref.cluster, ref.service) === undefined) throw new ValidationException(M.serviceMissing(input.ResourceId));
        const key = targetKey(input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
        const existing = region(scope).targets.get(key);
        const min = input.MinCapacity ?? existing?.MinCapacity;
        const max = input.MaxCapacity ?? existing?.MaxCapacity;
        if (min === undefined || max === undefined) throw new ValidationException(M.capacityNeeded);
        if (min > max) throw new ValidationException(M.minAboveMax);
        const target: ScalableTarget = existing ?? {
          ServiceNamespace: input.ServiceNamespace,
          ResourceId: input.ResourceId,
          ScalableDimension: input.ScalableDimension,
          MinCapacity: min,
          MaxCapacity: max,
          RoleARN:
            input.RoleARN ??
            `arn:aws:iam::${scope.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
          CreationTime: clock.now(),
          SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
          ScalableTargetARN: `${arnPrefix(scope, "application-autoscaling")}:scalable-target/${random.hex(32)}`,
        };
        const changed = existing ? (min !== existing.MinCapacity ? `minimum capacity was set to ${min}` : max !== existing.MaxCapacity ? `maximum capacity was set to ${max}` : undefined) : `minimum capacity was set to ${min}`;
        target.MinCapacity = min;
        target.MaxCapacity = max;
        if (input.RoleARN) target.RoleARN = input.RoleARN;
        if (input.SuspendedState) Object.assign(target.SuspendedState, input.SuspendedState);
        region(scope).targets.set(key, target);
        if (changed) deps.scaler.applyBounds(scope, target, changed);
        return { ScalableTargetARN: target.ScalableTargetARN };
      },
    ],
    DeregisterScalableTarget: [
      S.TargetRefSchema,
      (input: z.infer<typeof S.TargetRefSchema>, scope) => {
        const key = requireTarget(scope, input);
        const state = region(scope);
        state.targets.delete(key);
        // Its policies, their alarms and its scheduled actions go with it, as on AWS.
        for (const [k, p] of state.policies) {
          if (k.startsWith(`${key}|`)) {
            deleteAlarms(scope, p);
            state.policies.delete(k);
          }
        }
        for (const k of state.scheduled.keys()) if (k.startsWith(`${key}|`)) state.scheduled.delete(k);
        return {};
      },
    ],
    DescribeScalableTargets: [
      S.DescribeScalableTargetsSchema,
      (input: z.infer<typeof S.DescribeScalableTargetsSchema>, scope) => {
        const all = [...region(scope).targets.values()].filter(
          (t) =>
            t.ServiceNamespace === input.ServiceNamespace &&
            (!input.ResourceIds?.length || input.ResourceIds.includes(t.ResourceId)) &&
            (!input.ScalableDimension || t.ScalableDimension === input.ScalableDimension),
        );
        const page = paginate(all, input.MaxResults, input.NextToken);
        return { ScalableTargets: page.items.map(targetView), ...(page.next ? { NextToken: page.next } : {}) };
      },
    ],
    PutScalingPolicy: [
      S.PutScalingPolicySchema,
      (input: z.infer<typeof S.PutScalingPolicySchema>, scope) => {
        const key = requireTarget(scope, input);
        const state = region(scope);
        const policyKey = `${key}|${input.PolicyName}`;
        const previous = state.policies.get(policyKey);
        const policy: ScalingPolicy = {
          PolicyARN:
            previous?.PolicyARN ??
            `${arnPrefix(scope, "autoscaling")}:scalingPolicy:${random.uuid()}:resource/${input.ServiceNamespace}/${input.ResourceId}:policyName/${input.PolicyName}`,
          PolicyName: input.PolicyName,
          ServiceNamespace: input.ServiceNamespace,
          ResourceId: input.ResourceId,
          ScalableDimension: input.ScalableDimension,
          PolicyType: input.PolicyType,
          Alarms: [],
          CreationTime: previous?.CreationTime ?? clock.now(),
        };
        if (input.PolicyType === "StepScaling") {
          if (!input.StepScalingPolicyConfiguration) throw new ValidationException(M.policyConfigMissing(input.PolicyType));
          policy.StepScalingPolicyConfiguration = input.StepScalingPolicyConfiguration;
          // A step policy is invoked by alarms the user points at it; keep those links.
          policy.Alarms = previous?.Alarms ?? [];
        } else {
          const config = input.TargetTrackingScalingPolicyConfiguration;
          if (!config) throw new ValidationException(M.policyConfigMissing(input.PolicyType));
          if (!config.PredefinedMetricSpecification === !config.CustomizedMetricSpecification) throw new ValidationException(M.metricSpec);
          policy.TargetTrackingScalingPolicyConfiguration = config as ScalingPolicy["TargetTrackingScalingPolicyConfiguration"];
          if (previous) deleteAlarms(scope, previous);
          policy.Alarms = createTrackingAlarms(scope, policy);
        }
        state.policies.set(policyKey, policy);
        return { PolicyARN: policy.PolicyARN, Alarms: policy.Alarms };
      },
    ],
    DeleteScalingPolicy: [
      S.DeleteScalingPolicySchema,
      (input: z.infer<typeof S.DeleteScalingPolicySchema>, scope) => {
        const key = requireTarget(scope, input);
        const state = region(scope);
        const policy = state.policies.get(`${key}|${input.PolicyName}`);
        if (!policy) throw new ObjectNotFoundException(M.noPolicy(input.PolicyName, input.ServiceNamespace, input.ResourceId, input.ScalableDimension));
        deleteAlarms(scope, policy);
        state.policies.delete(`${key}|${input.PolicyName}`);
        return {};
      },
    ],
    DescribeScalingPolicies: [
      S.DescribeScalingPoliciesSchema,
      (input: z.infer<typeof S.DescribeScalingPoliciesSchema>, scope) => {
        const all = [...region(scope).policies.values()].filter(
          (p) =>
            p.ServiceNamespace === input.ServiceNamespace &&
            (!input.PolicyNames?.length || input.PolicyNames.includes(p.PolicyName)) &&
            (!input.ResourceId || p.ResourceId === input.ResourceId) &&
            (!input.ScalableDimension || p.ScalableDimension === input.ScalableDimension),
        );
        const page = paginate(all, input.MaxResults, input.NextToken);
        return { ScalingPolicies: page.items.map((p) => ({ ...p, CreationTime: new Date(p.CreationTime) })), ...(page.next ? { NextToken: page.next } : {}) };
      },
    ],
    DescribeScalingActivities: [
      S.DescribeScalingActivitiesSchema,
      (input: z.infer<typeof S.DescribeScalingActivitiesSchema>, scope) => {
        const all = region(scope).activities.filter(
          (a) =>
            a.ServiceNamespace === input.ServiceNamespace &&
            (!input.ResourceId || a.ResourceId === input.ResourceId) &&
            (!input.ScalableDimension || a.ScalableDimension === input.ScalableDimension),
        );
        const page = paginate(all, input.MaxResults, input.NextToken);
        return {
          ScalingActivities: page.items.map((a) => ({ ...a, StartTime: new Date(a.StartTime), ...(a.EndTime !== undefined ? { EndTime: new Date(a.EndTime) } : {}) })),
          ...(page.next ? { NextToken: page.next } : {}),
        };
      },
    ],
    PutScheduledAction: [
      S.PutScheduledActionSchema,
      (input: z.infer<typeof S.PutScheduledActionSchema>, scope) => {
        const key = requireTarget(scope, input);
        const state = region(scope);
        const actionKey = `${key}|${input.ScheduledActionName}`;
        const previous = state.scheduled.get(actionKey);
        const schedule = input.Schedule ?? previous?.Schedule;
        if (!schedule) throw new ValidationException(M.badSchedule(""));
        const action: ScheduledAction = {
          ScheduledActionName: input.ScheduledActionName,
          ScheduledActionARN:
            previous?.ScheduledActionARN ??
            `${arnPrefix(scope, "autoscaling")}:scheduledAction:${random.uuid()}:resource/${input.ServiceNamespace}/${input.ResourceId}:scheduledActionName/${input.ScheduledActionName}`,
          ServiceNamespace: input.ServiceNamespace,
          Schedule: schedule,
          ResourceId: input.ResourceId,
          ScalableDimension: input.ScalableDimension,
          CreationTime: previous?.CreationTime ?? clock.now(),
          ...(input.Timezone ? { Timezone: input.Timezone } : {}),
          ...(input.StartTime !== undefined ? { StartTime: input.StartTime * 1000 } : {}),
          ...(input.EndTime !== undefined ? { EndTime: input.EndTime * 1000 } : {}),
          ...(input.ScalableTargetAction ? { ScalableTargetAction: input.ScalableTargetAction } : previous?.ScalableTargetAction ? { ScalableTargetAction: previous.ScalableTargetAction } : {}),
        };
        try {
          const next = nextRun(action, clock.now());
          if (next !== undefined) action.nextRun = next;
        } catch {
          throw new ValidationException(M.badSchedule(schedule));
        }
        if (!/^(at|rate|cron)\(/.test(schedule)) throw new ValidationException(M.badSchedule(schedule));
        state.scheduled.set(actionKey, action);
        deps.scaler.kick();
        return {};
      },
    ],
    DeleteScheduledAction: [
      S.DeleteScheduledActionSchema,
      (input: z.infer<typeof S.DeleteScheduledActionSchema>, scope) => {
        const key = requireTarget(scope, input);
        const state = region(scope);
        if (!state.scheduled.delete(`${key}|${input.ScheduledActionName}`)) {
          throw new ObjectNotFoundException(M.noScheduledAction(input.ScheduledActionName, input.ServiceNamespace, input.ResourceId, input.ScalableDimension));
        }
        return {};
      },
    ],
    DescribeScheduledActions: [
      S.DescribeScheduledActionsSchema,
      (input: z.infer<typeof S.DescribeScheduledActionsSchema>, scope) => {
        const all = [...region(scope).scheduled.values()].filter(
          (a) =>
            a.ServiceNamespace === input.ServiceNamespace &&
            (!input.ScheduledActionNames?.length || input.ScheduledActionNames.includes(a.ScheduledActionName)) &&
            (!input.ResourceId || a.ResourceId === input.ResourceId) &&
            (!input.ScalableDimension || a.ScalableDimension === input.ScalableDimension),
        );
        const page = paginate(all, input.MaxResults, input.NextToken);
        return {
          ScheduledActions: page.items.map(({ nextRun: _next, ...a }) => ({
            ...a,
            CreationTime: new Date(a.CreationTime),
            ...(a.StartTime !== undefined ? { StartTime: new Date(a.StartTime) } : {}),
            ...(a.EndTime !== undefined ? { EndTime: new Date(a.EndTime) } : {}),
          })),
          ...(page.next ? { NextToken: page.next } : {}),
        };
      },
    ],
  };

  function requireTarget(scope: Scope, ref: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string }): string {
    const key = targetKey(ref.ServiceNamespace, ref.ResourceId, ref.ScalableDimension);
    if (!region(scope).targets.has(key)) throw new ObjectNotFoundException(M.noTarget(ref.ServiceNamespace, ref.ResourceId, ref.ScalableDimension));
    return key;
  }

  /**
   * Target tracking's two alarms, named and shaped as AWS names them: high after 3 one-minute
   * datapoints above the target, low after 15 below 90 % of it (none with DisableScaleIn).
   */
  function createTrackingAlarms(scope: Scope, policy: ScalingPolicy): { AlarmName: string; AlarmARN: string }[] {
    const config = policy.TargetTrackingScalingPolicyConfiguration!;
    const metric = trackedMetric(policy);
    const id = random.uuid();
    const now = clock.now();
    const make = (kind: "High" | "Low", evaluationPeriods: number, threshold: number, op: MetricAlarm["ComparisonOperator"]): MetricAlarm => {
      const name = `TargetTracking-${policy.ResourceId}-Alarm${kind}-${id}`;
      return {
        AlarmName: name,
        AlarmArn: `arn:aws:cloudwatch:${scope.region}:${scope.account}:alarm:${name}`,
        AlarmDescription: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policy.PolicyARN}.`,
        ActionsEnabled: true,
        AlarmActions: [policy.PolicyARN],
        OKActions: [],
        InsufficientDataActions: [],
        ...metric,
        EvaluationPeriods: evaluationPeriods,
        DatapointsToAlarm: evaluationPeriods,
        Threshold: threshold,
        ComparisonOperator: op,
        StateValue: "INSUFFICIENT_DATA",
        StateReason: "Unchecked: Initial alarm creation",
        StateUpdatedTimestamp: now,
        AlarmConfigurationUpdatedTimestamp: now,
      };
    };
    const alarms = [make("High", 3, config.TargetValue, "GreaterThanThreshold")];
    if (!config.DisableScaleIn) alarms.push(make("Low", 15, config.TargetValue * 0.9, "LessThanThreshold"));
    const regionAlarms = store.region(scope.account, scope.region).alarms;
    for (const a of alarms) regionAlarms.set(a.AlarmName, a);
    deps.scaler.kick();
    return alarms.map((a) => ({ AlarmName: a.AlarmName, AlarmARN: a.AlarmArn }));
  }

  function deleteAlarms(scope: Scope, policy: ScalingPolicy): void {
    if (policy.PolicyType !== "TargetTrackingScaling") return;
    const regionAlarms = store.region(scope.account, scope.region).alarms;
    for (const a of policy.Alarms) regionAlarms.delete(a.AlarmName);
  }

  return {
    prefix: AAS_TARGET_PREFIX,
    handle(operation: string, input: unknown, scope: Scope): unknown {
      const op = Object.hasOwn(ops, operation) ? ops[operation] : undefined;
      if (!op) throw new ValidationException(`ecs-sim does not implement the Application Auto Scaling ${operation} operation.`);
      const parsed = op[0].safeParse(input ?? {});
      if (!parsed.success) throw validationError(parsed.error, input, (m) => new ValidationException(m));
      return op[1](parsed.data as never, scope);
    },
  };
}

/** The metric a target tracking policy follows, as its alarms watch it. */
function trackedMetric(policy: ScalingPolicy): Pick<MetricAlarm, "Namespace" | "MetricName" | "Dimensions" | "Statistic" | "Period" | "Metrics"> {
  const config = policy.TargetTrackingScalingPolicyConfiguration!;
  const ref = serviceRef(policy.ResourceId)!;
  const service = [
    { Name: "ClusterName", Value: ref.cluster },
    { Name: "ServiceName", Value: ref.service },
  ];
  const predefined = config.PredefinedMetricSpecification;
  if (predefined?.PredefinedMetricType === "ECSServiceAverageCPUUtilization") return { Namespace: "AWS/ECS", MetricName: "CPUUtilization", Dimensions: service, Statistic: "Average", Period: 60 };
  if (predefined?.PredefinedMetricType === "ECSServiceAverageMemoryUtilization") return { Namespace: "AWS/ECS", MetricName: "MemoryUtilization", Dimensions: service, Statistic: "Average", Period: 60 };
  if (predefined?.PredefinedMetricType === "ALBRequestCountPerTarget") {
    const targetGroup = (predefined.ResourceLabel ?? "").split("/").slice(-3).join("/");
    return { Namespace: "AWS/ApplicationELB", MetricName: "RequestCountPerTarget", Dimensions: [{ Name: "TargetGroup", Value: targetGroup }], Statistic: "Sum", Period: 60 };
  }
  const custom = config.CustomizedMetricSpecification as z.infer<typeof S.CustomizedMetricSchema>;
  if (custom.Metrics?.length) {
    return { Period: 60, Metrics: custom.Metrics.map((m) => ({ ...m, ...(m.MetricStat ? { MetricStat: { ...m.MetricStat, Period: 60 } } : {}) })) as MetricDataQuery[] };
  }
  return { Namespace: custom.Namespace!, MetricName: custom.MetricName!, Dimensions: custom.Dimensions ?? [], Statistic: custom.Statistic ?? "Average", Period: 60 };
}

function checkTarget(input: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string }): void {
  if (input.ServiceNamespace !== "ecs") throw new ValidationException(M.onlyEcs(input.ServiceNamespace));
  if (!serviceRef(input.ResourceId)) throw new ValidationException(M.badResourceId(input.ResourceId));
  if (input.ScalableDimension !== ECS_DIMENSION) throw new ValidationException(M.badDimension(input.ScalableDimension));
}

/** One page of a Describe* answer, with the project's opaque page tokens (at most 50 a page). */
function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; next?: string } {
  try {
    const { page, nextToken: next } = paginateList(items, { maxResults, nextToken, kind: "autoscaling", defaultMax: 50, maxAllowed: 50 });
    return { items: page, ...(next ? { next } : {}) };
  } catch {
    throw new InvalidNextTokenException("Invalid NextToken");
  }
}

function targetView(t: ScalableTarget) {
  const { lastScaleIn: _in, lastScaleOut: _out, lastScaleOutCapacity: _cap, ...wire } = t;
  return { ...wire, CreationTime: new Date(t.CreationTime) };
}
