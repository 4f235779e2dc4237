import { createRequire } from "node:module";
import type * as CronParser from "cron-parser";
import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SeededRandom } from "../core/random.js";
import type { Scope } from "../domain/scope.js";
import { evaluateAlarm, type MetricAlarm } from "../metrics/alarms.js";
import type { RegionState, Store } from "../state/store.js";
import type { EventBus } from "../core/events.js";
import { alarmStateEvent, scalingActivityEvent } from "./events.js";
import type { ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction, StepScalingPolicyConfiguration } from "./state.js";
import { targetKey } from "./state.js";

let cronModule: typeof CronParser | undefined;
/** Loaded with the first cron schedule: most simulators never see one. */
function cronParser(): typeof CronParser {
  return (cronModule ??= createRequire(import.meta.url)("cron-parser") as typeof CronParser);
}

/** What the scaler needs of ECS: read and set a service's desired count. */
export interface ScalableServices {
  /** undefined when the service does not exist or is not ACTIVE. */
  desiredCount(scope: Scope, cluster: string, service: string): number | undefined;
  setDesiredCount(scope: Scope, cluster: string, service: string, desiredCount: number): void;
}

/** AWS's default cooldown for ECS service scaling policies, in seconds. */
const DEFAULT_COOLDOWN_S = 300;

/**
 * The scaling loop, as Application Auto Scaling and CloudWatch run it together: once a minute
 * (on the simulator's clock) every alarm is evaluated; an alarm in ALARM invokes its scaling
 * policies each minute it stays there; policies compute a new desired count, bounded by the
 * target's min/max, suspended states and cooldowns; scheduled actions change min/max on time.
 * Each change is a scaling activity with AWS's texts.
 */
export class AutoScaler {
  private timer?: TimerHandle;

  constructor(
    private readonly deps: {
      clock: Clock;
      random: SeededRandom;
      logger: Logger;
      store: Store;
      services: ScalableServices;
      /** How often alarms are evaluated; CloudWatch's is one minute. */
      intervalMs: number;
      /** Told whenever alarms or schedules may have changed (metric sources start polling then). */
      onKick?: () => void;
      /** Where scaling activities and alarm state changes go as EventBridge events. */
      bus?: EventBus;
    },
  ) {}

  /**
   * Arms the loop if it is not running. Called whenever an alarm or a scheduled action appears;
   * with nothing to evaluate the loop disarms itself, so an idle simulator holds no timer.
   */
  kick(): void {
    this.deps.onKick?.();
    if (this.timer) return;
    const { clock, intervalMs } = this.deps;
    // Evaluate on interval boundaries, as CloudWatch evaluates on minute boundaries.
    const delay = intervalMs - (clock.now() % intervalMs);
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.tick();
      if (this.hasWork()) this.kick();
    }, delay);
  }

  stop(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private hasWork(): boolean {
    return this.deps.store.allRegions().some((r) => r.alarms.size > 0 || r.autoscaling.scheduled.size > 0);
  }

  /** One evaluation round over every account and Region. */
  tick(): void {
    const now = this.deps.clock.now();
    for (const region of this.deps.store.allRegions()) {
      const scope = { account: region.account, region: region.region };
      this.runScheduledActions(region, scope, now);
      for (const alarm of region.alarms.values()) this.evaluate(region, scope, alarm, now);
    }
  }

  /** Puts the service's desired count back inside the target's bounds (after min/max changed). */
  applyBounds(scope: Scope, target: ScalableTarget, cause: string): void {
    const ref = serviceRef(target.ResourceId);
    if (!ref) return;
    const current = this.deps.services.desiredCount(scope, ref.cluster, ref.service);
    if (current === undefined) return;
    const bounded = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, current));
    if (bounded !== current) this.setCapacity(scope, target, bounded, cause);
  }

  private evaluate(region: RegionState, scope: Scope, alarm: MetricAlarm, now: number): void {
    const result = evaluateAlarm(alarm, region.metrics, now);
    if (result.state !== alarm.StateValue) {
      const previous = { value: alarm.StateValue, reason: alarm.StateReason, timestamp: alarm.StateUpdatedTimestamp };
      alarm.StateValue = result.state;
      alarm.StateReason = result.reason;
      alarm.StateUpdatedTimestamp = now;
      this.deps.logger.debug(`alarm ${alarm.AlarmName} is ${result.state}`, { region: scope.region });
      this.deps.bus?.publish("aws.event", alarmStateEvent(scope, alarm, previous));
    }
    if (alarm.StateValue !== "ALARM" || !alarm.ActionsEnabled || result.value === undefined) return;
    for (const action of alarm.AlarmActions) {
      const policy = [...region.autoscaling.policies.values()].find((p) => p.PolicyARN === action);
      if (policy) this.runPolicy(region, scope, policy, alarm, result.value, now);
    }
  }

  private runPolicy(region: RegionState, scope: Scope, policy: ScalingPolicy, alarm: MetricAlarm, value: number, now: number): void {
    const target = region.autoscaling.targets.get(targetKey(policy.ServiceNamespace, policy.ResourceId, policy.ScalableDimension));
    const ref = serviceRef(policy.ResourceId);
    if (!target || !ref) return;
    const current = this.deps.services.desiredCount(scope, ref.cluster, ref.service);
    if (current === undefined) return;
    const wanted = policy.PolicyType === "TargetTrackingScaling" ? this.trackingCapacity(policy, alarm, current, value) : stepCapacity(policy.StepScalingPolicyConfiguration ?? {}, current, value - alarm.Threshold);
    if (wanted === undefined) return;
    const desired = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, wanted));
    if (desired === current) return;
    const out = desired > current;
    if (out && target.SuspendedState.DynamicScalingOutSuspended) return;
    if (!out && target.SuspendedState.DynamicScalingInSuspended) return;
    const { outS, inS } = cooldowns(policy);
    const inOutCooldown = target.lastScaleOut !== undefined && now - target.lastScaleOut < outS * 1000;
    // A scale-out in its cooldown only goes further out; nothing scales in while either cooldown runs.
    if (out && inOutCooldown && desired <= (target.lastScaleOutCapacity ?? 0)) return;
    if (!out && (inOutCooldown || (target.lastScaleIn !== undefined && now - target.lastScaleIn < inS * 1000))) return;
    if (out) {
      target.lastScaleOut = now;
      target.lastScaleOutCapacity = desired;
    } else {
      target.lastScaleIn = now;
    }
    this.setCapacity(scope, target, desired, `monitor alarm ${alarm.AlarmName} in state ALARM triggered policy ${policy.PolicyName}`);
  }

  /**
   * Target tracking: the capacity that brings the metric to the target, proportionally
   * (current × value ÷ target, rounded up so that it never undershoots), at least one task when
   * scaling out from zero. The low alarm only ever scales in, the high alarm only out.
   */
  private trackingCapacity(policy: ScalingPolicy, alarm: MetricAlarm, current: number, value: number): number | undefined {
    const config = policy.TargetTrackingScalingPolicyConfiguration!;
    const high = alarm.ComparisonOperator.startsWith("Greater");
    if (!high && config.DisableScaleIn) return undefined;
    const proportional = Math.ceil((Math.max(current, 1) * value) / config.TargetValue);
    if (high) return Math.max(current + 1, proportional);
    return proportional < current ? proportional : undefined;
  }

  private runScheduledActions(region: RegionState, scope: Scope, now: number): void {
    for (const action of region.autoscaling.scheduled.values()) {
      if (action.nextRun === undefined || action.nextRun > now) continue;
      const target = region.autoscaling.targets.get(targetKey(action.ServiceNamespace, action.ResourceId, action.ScalableDimension));
      action.nextRun = nextRun(action, now + 1);
      if (!target || target.SuspendedState.ScheduledScalingSuspended) continue;
      const { MinCapacity, MaxCapacity } = action.ScalableTargetAction ?? {};
      if (MinCapacity !== undefined) target.MinCapacity = MinCapacity;
      if (MaxCapacity !== undefined) target.MaxCapacity = MaxCapacity;
      this.applyBounds(scope, target, `scheduled action name ${action.ScheduledActionName} was triggered`);
    }
  }

  private setCapacity(scope: Scope, target: ScalableTarget, desired: number, cause: string): void {
    const ref = serviceRef(target.ResourceId)!;
    const now = this.deps.clock.now();
    const previous = this.deps.services.desiredCount(scope, ref.cluster, ref.service) ?? 0;
    this.deps.services.setDesiredCount(scope, ref.cluster, ref.service, desired);
    const activity: ScalingActivity = {
      ActivityId: this.deps.random.uuid(),
      ServiceNamespace: target.ServiceNamespace,
      ResourceId: target.ResourceId,
      ScalableDimension: target.ScalableDimension,
      Description: `Setting desired count to ${desired}.`,
      Cause: cause,
      StartTime: now,
      EndTime: now,
      StatusCode: "Successful",
      StatusMessage: `Successfully set desired count to ${desired}. Change successfully fulfilled by ecs.`,
    };
    this.deps.store.region(scope.account, scope.region).autoscaling.addActivity(activity);
    this.deps.bus?.publish("aws.event", scalingActivityEvent(scope, target, activity, previous, desired));
    this.deps.logger.info(`autoscaling: ${target.ResourceId} desired count ${desired} (${cause})`, { region: scope.region });
  }
}

/** Step scaling: the step whose bounds hold the breach (metric minus threshold), applied to current. */
export function stepCapacity(config: StepScalingPolicyConfiguration, current: number, breach: number): number | undefined {
  const step = (config.StepAdjustments ?? []).find(
    (s) => (s.MetricIntervalLowerBound ?? -Infinity) <= breach && breach < (s.MetricIntervalUpperBound ?? Infinity),
  );
  if (!step) return undefined;
  switch (config.AdjustmentType ?? "ChangeInCapacity") {
    case "ExactCapacity":
      return step.ScalingAdjustment;
    case "PercentChangeInCapacity": {
      const raw = (current * step.ScalingAdjustment) / 100;
      let change = raw > 0 ? Math.floor(raw) : Math.ceil(raw);
      const min = config.MinAdjustmentMagnitude;
      if (min !== undefined && Math.abs(change) < min) change = Math.sign(step.ScalingAdjustment) * min;
      return current + change;
    }
    default:
      return current + step.ScalingAdjustment;
  }
}

function cooldowns(policy: ScalingPolicy): { outS: number; inS: number } {
  if (policy.PolicyType === "StepScaling") {
    const c = policy.StepScalingPolicyConfiguration?.Cooldown ?? DEFAULT_COOLDOWN_S;
    return { outS: c, inS: c };
  }
  const t = policy.TargetTrackingScalingPolicyConfiguration!;
  return { outS: t.ScaleOutCooldown ?? DEFAULT_COOLDOWN_S, inS: t.ScaleInCooldown ?? DEFAULT_COOLDOWN_S };
}

/** "service/<cluster>/<service>" → its parts. */
export function serviceRef(resourceId: string): { cluster: string; service: string } | undefined {
  const m = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
  return m ? { cluster: m[1]!, service: m[2]! } : undefined;
}

/**
 * When a scheduled action fires next, at or after `from`: at(...) once, rate(N unit) from its
 * start, cron(...) in AWS's six-field form (the year field must be `*`). undefined = never again.
 */
export function nextRun(action: Pick<ScheduledAction, "Schedule" | "StartTime" | "EndTime" | "CreationTime" | "Timezone">, from: number): number | undefined {
  const s = action.Schedule.trim();
  let next: number | undefined;
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(s);
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(s);
  const cron = /^cron\((.+)\)$/.exec(s);
  if (at) {
    const t = Date.parse(`${at[1]}Z`);
    next = t >= from ? t : undefined;
  } else if (rate) {
    const unit = rate[2]!.startsWith("minute") ? 60_000 : rate[2]!.startsWith("hour") ? 3_600_000 : 86_400_000;
    const every = Number(rate[1]) * unit;
    const origin = action.StartTime ?? action.CreationTime;
    next = from <= origin ? origin : origin + Math.ceil((from - origin) / every) * every;
  } else if (cron) {
    next = cronParser().CronExpressionParser.parse(toUnixCron(cron[1]!), { currentDate: new Date(from - 1), tz: action.Timezone ?? "UTC" }).next().getTime();
  }
  if (next !== undefined && action.EndTime !== undefined && next > action.EndTime) return undefined;
  if (next !== undefined && action.StartTime !== undefined && next < action.StartTime) return action.StartTime;
  return next;
}

/** AWS's "min hour day-of-month month day-of-week year" with `?` → the five Unix fields. */
export function toUnixCron(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 || (fields[5] !== "*" && fields[5] !== "?")) throw new Error(`unsupported cron expression: ${expression}`);
  return fields.slice(0, 5).map((f) => (f === "?" ? "*" : f)).join(" ");
}
