import type { CapacityProvider } from "@aws-sdk/client-ecs";
import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SeededRandom } from "../core/random.js";
import { MANAGED_SCALING_DEFAULTS } from "../domain/asg-capacity-providers.js";
import { instanceTypeSpec, registeredCpu, registeredMemory } from "../domain/instance-types.js";
import type { Scope } from "../domain/scope.js";
import { buildEnvelope, type EcsEventEnvelope } from "../events/envelope.js";
import { Arn } from "../state/arn.js";
import type { RegionState, Store } from "../state/store.js";
import type { AutoScalingGroups } from "./groups.js";
import { findGroup } from "./lookup.js";
import { evaluate, type InstanceLoad, type ScalingEvaluation, type TaskNeed } from "./managed-scaling-math.js";
import type { AutoScalingGroupRecord } from "./types.js";

/**
 * What managed scaling needs from the rest of the simulator; the task scheduler and the
 * container-instance domain implement it.
 */
export interface ManagedScalingInputs {
  /** Tasks in PROVISIONING in the cluster waiting for this provider, with the cpu/memory each reserves. */
  provisioningTasks(scope: Scope, clusterName: string, capacityProviderName: string): TaskNeed[];
  /** Whether the instance's agent has registered, and its non-daemon tasks not yet STOPPED. */
  instanceLoad(scope: Scope, ec2InstanceId: string): { registered: boolean; nonDaemonTasks: number };
}

export const DETAIL_TYPE_SCALING = "ECS Capacity Provider Scaling";

export interface ManagedScalingOptions {
  clock: Clock;
  store: Store;
  groups: AutoScalingGroups;
  inputs: ManagedScalingInputs;
  logger: Logger;
  events?: { publish(event: EcsEventEnvelope): unknown };
  eventRandom?: SeededRandom;
  /** How often the metric is computed and acted on (AWS: every minute). */
  intervalMs?: number;
  /** How long the metric must stay below target before a scale-in (AWS's target tracking: 15 minutes). */
  scaleInAfterMs?: number;
  /** Datapoints kept per provider for the admin view. */
  historyLimit?: number;
}

export interface ScalingDatapoint {
  time: number;
  value: number;
  m: number;
  n: number;
}

export interface ScalingAction {
  time: number;
  cluster: string;
  capacityProvider: string;
  autoScalingGroup: string;
  action: "scale-out" | "scale-in" | "protect" | "unprotect";
  from?: number;
  to?: number;
  instanceIds?: string[];
  metric: number;
}

interface ProviderTrack {
  metrics: ScalingDatapoint[];
  actions: ScalingAction[];
  /** Since when the metric has been below target, for the scale-in delay. */
  belowSince?: number;
  last?: ScalingEvaluation & { cluster: string };
}

/**
 * The managed scaling loop: every interval, for each ACTIVE Auto Scaling group provider with
 * managed scaling ENABLED and associated with a cluster, computes CapacityProviderReservation,
 * sets instance scale-in protection (managed termination protection) and moves the group's
 * desired capacity toward targetCapacity. Armed only while such a provider exists.
 */
export class ManagedScaling {
  private timer?: TimerHandle;
  private readonly tracks = new Map<string, ProviderTrack>();
  private readonly intervalMs: number;
  private readonly scaleInAfterMs: number;

  constructor(private readonly opts: ManagedScalingOptions) {
    this.intervalMs = opts.intervalMs ?? 60_000;
    this.scaleInAfterMs = opts.scaleInAfterMs ?? 15 * 60_000;
  }

  /** Arms the loop if some provider needs it (call after a capacity provider changes); disarms otherwise. */
  kick(): void {
    const needed = this.anyEnabled();
    if (needed && !this.timer) this.timer = this.opts.clock.setTimeout(() => this.onTimer(), this.intervalMs);
    if (!needed && this.timer) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }

  close(): void {
    this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** As just started: no timer, no history (the simulator's reset). */
  reset(): void {
    this.close();
    this.tracks.clear();
  }

  /** The metric history and scaling actions per provider, for GET /_sim/autoscaling-groups. */
  view(scope: Scope): Record<string, { metrics: ScalingDatapoint[]; actions: ScalingAction[]; last?: ScalingEvaluation & { cluster: string } }> {
    const out: Record<string, { metrics: ScalingDatapoint[]; actions: ScalingAction[]; last?: ScalingEvaluation & { cluster: string } }> = {};
    for (const [key, track] of this.tracks) {
      const [account, region, name] = key.split("/");
      if (account === scope.account && region === scope.region) out[name!] = structuredClone(track);
    }
    return out;
  }

  /** One evaluation of every provider now (the timer calls it; tests may too). */
  tick(): void {
    for (const state of this.opts.store.allRegions()) {
      const scope = { account: state.account, region: state.region };
      for (const record of state.capacityProviders.values()) {
        if (!isManaged(record.provider)) continue;
        try {
          this.evaluateProvider(scope, state, record.provider);
        } catch (err) {
          this.opts.logger.error(`managed scaling of ${record.provider.name} failed`, { error: (err as Error).message });
        }
      }
    }
  }

  private onTimer(): void {
    this.timer = undefined;
    this.tick();
    this.kick();
  }

  private anyEnabled(): boolean {
    return this.opts.store.allRegions().some((s) => [...s.capacityProviders.values()].some((r) => isManaged(r.provider)));
  }

  private evaluateProvider(scope: Scope, state: RegionState, provider: CapacityProvider): void {
    const asg = provider.autoScalingGroupProvider!;
    const group = findGroup(state, asg.autoScalingGroupArn ?? "");
    const cluster = [...state.clusters.values()].find(
      (c) => c.cluster.status === "ACTIVE" && (c.cluster.capacityProviders ?? []).includes(provider.name!),
    )?.cluster.clusterName;
    if (!group || cluster === undefined) return;
    const spec = instanceTypeSpec(group.instanceType);
    if (!spec) return;
    const settings = { ...MANAGED_SCALING_DEFAULTS, ...asg.managedScaling };
    const now = this.opts.clock.now();
    const warmupMs = settings.instanceWarmupPeriod * 1000;
    const active = group.instances.filter((i) => i.lifecycleState === "Pending" || i.lifecycleState === "InService");
    const loads: InstanceLoad[] = active.map((i) => {
      const load = this.opts.inputs.instanceLoad(scope, i.instanceId);
      return { id: i.instanceId, nonDaemonTasks: load.nonDaemonTasks, warmingUp: !load.registered || now - i.launchedAt < warmupMs };
    });
    const provisioning = this.opts.inputs.provisioningTasks(scope, cluster, provider.name!);
    const result = evaluate(loads, provisioning, { cpu: registeredCpu(spec), memory: registeredMemory(spec) }, settings);
    const track = this.track(scope, provider.name!);
    track.last = { ...result, cluster };
    track.metrics.push({ time: now, value: result.metric, m: result.m, n: result.n });
    this.trim(track.metrics);
    // Where AWS publishes it, so GetMetricData and alarms see it too.
    state.metrics.put(
      {
        Namespace: "AWS/ECS/ManagedScaling",
        MetricName: "CapacityProviderReservation",
        Dimensions: [
          { Name: "CapacityProviderName", Value: provider.name! },
          { Name: "ClusterName", Value: cluster },
        ],
      },
      { t: now, sum: result.metric, count: 1, min: result.metric, max: result.metric },
    );

    if (asg.managedTerminationProtection === "ENABLED") this.protect(scope, group, result, cluster, provider.name!, track);

    const desired = Math.min(group.maxSize, Math.max(group.minSize, result.desired));
    if (result.metric < settings.targetCapacity) track.belowSince ??= now;
    else delete track.belowSince;
    if (desired > group.desiredCapacity) {
      this.act(scope, track, { time: now, cluster, capacityProvider: provider.name!, autoScalingGroup: group.name, action: "scale-out", from: group.desiredCapacity, to: desired, metric: result.metric });
      this.opts.groups.setDesiredCapacity(scope, group.name, desired, `ECS managed scaling: CapacityProviderReservation ${round(result.metric)} above target ${settings.targetCapacity}`);
    } else if (desired < group.desiredCapacity && track.belowSince !== undefined && now - track.belowSince >= this.scaleInAfterMs) {
      // Scale in only as far as idle instances allow: busy ones stay.
      const floor = Math.max(desired, group.desiredCapacity - result.idle.length);
      if (floor < group.desiredCapacity) {
        this.act(scope, track, { time: now, cluster, capacityProvider: provider.name!, autoScalingGroup: group.name, action: "scale-in", from: group.desiredCapacity, to: floor, metric: result.metric });
        this.opts.groups.setDesiredCapacity(scope, group.name, floor, `ECS managed scaling: CapacityProviderReservation ${round(result.metric)} below target ${settings.targetCapacity}`);
        delete track.belowSince;
      }
    }
  }

  /** Managed termination protection: instances running tasks are protected, idle ones are not. */
  private protect(scope: Scope, group: AutoScalingGroupRecord, result: ScalingEvaluation, cluster: string, providerName: string, track: ProviderTrack): void {
    const byId = new Map(group.instances.map((i) => [i.instanceId, i]));
    const toProtect = result.busy.filter((id) => byId.get(id)?.protectedFromScaleIn === false);
    const toUnprotect = result.idle.filter((id) => byId.get(id)?.protectedFromScaleIn === true);
    const base = { time: this.opts.clock.now(), cluster, capacityProvider: providerName, autoScalingGroup: group.name, metric: result.metric };
    if (toProtect.length) {
      this.opts.groups.setInstanceProtection(scope, group.name, toProtect, true, "ECS managed termination protection");
      this.act(scope, track, { ...base, action: "protect", instanceIds: toProtect });
    }
    if (toUnprotect.length) {
      this.opts.groups.setInstanceProtection(scope, group.name, toUnprotect, false, "ECS managed termination protection");
      this.act(scope, track, { ...base, action: "unprotect", instanceIds: toUnprotect });
    }
  }

  private act(scope: Scope, track: ProviderTrack, action: ScalingAction): void {
    track.actions.push(action);
    this.trim(track.actions);
    this.opts.logger.info(`managed scaling ${action.action} of ${action.autoScalingGroup}`, { capacityProvider: action.capacityProvider, metric: round(action.metric), from: action.from, to: action.to });
    if (!this.opts.events || !this.opts.eventRandom) return;
    this.opts.events.publish(
      buildEnvelope({
        detailType: DETAIL_TYPE_SCALING,
        account: scope.account,
        region: scope.region,
        resources: [Arn.capacityProvider(scope, action.capacityProvider)],
        detail: {
          clusterArn: Arn.cluster(scope, action.cluster),
          capacityProviderName: action.capacityProvider,
          autoScalingGroupName: action.autoScalingGroup,
          action: action.action,
          metricName: "CapacityProviderReservation",
          metricValue: round(action.metric),
          ...(action.from !== undefined ? { fromDesiredCapacity: action.from, toDesiredCapacity: action.to } : {}),
          ...(action.instanceIds ? { instanceIds: action.instanceIds } : {}),
        },
        timeMs: action.time,
        random: this.opts.eventRandom,
      }) as EcsEventEnvelope,
    );
  }

  private track(scope: Scope, name: string): ProviderTrack {
    const key = `${scope.account}/${scope.region}/${name}`;
    let t = this.tracks.get(key);
    if (!t) this.tracks.set(key, (t = { metrics: [], actions: [] }));
    return t;
  }

  private trim<T>(list: T[]): void {
    const limit = this.opts.historyLimit ?? 120;
    if (list.length > limit) list.splice(0, list.length - limit);
  }
}

function isManaged(p: CapacityProvider): boolean {
  return p.status === "ACTIVE" && p.autoScalingGroupProvider?.managedScaling?.status === "ENABLED";
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
