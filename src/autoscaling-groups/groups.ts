import type { Clock, TimerHandle } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SeededRandom } from "../core/random.js";
import type { InstanceLauncher } from "../domain/container-instances/types.js";
import type { Scope } from "../domain/scope.js";
import { buildEnvelope, type EcsEventEnvelope } from "../events/envelope.js";
import type { Store } from "../state/store.js";
import { autoScalingGroupArn } from "./lookup.js";
import { AutoScalingGroupSpecSchema, type AutoScalingGroupSpecInput } from "./schema.js";
import type { AsgActivity, AsgInstanceRecord, AutoScalingGroupRecord } from "./types.js";

/** The lifecycle hook ECS adds for managed draining (its name on AWS). */
export const MANAGED_DRAINING_HOOK = "ecs-managed-draining-termination-hook";

/** A refused group operation; the admin API answers 400 with its message, the query API a ValidationError. */
export class AutoScalingGroupError extends Error {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

export interface AutoScalingGroupsOptions {
  clock: Clock;
  /** Instance boot delays and generated ARNs. */
  random: SeededRandom;
  store: Store;
  launcher: InstanceLauncher;
  logger: Logger;
  /** Where Auto Scaling's EventBridge events go (the event hub). */
  events?: { publish(event: EcsEventEnvelope): unknown };
  /** Draws event ids; defaults to `random`. */
  eventRandom?: SeededRandom;
  /** Whether terminating an instance of the group drains it first (its capacity provider's managedDraining). */
  managedDraining?: (scope: Scope, group: AutoScalingGroupRecord) => boolean;
  /** Boot delay of groups that set none (ms, a range drawn from `random`). */
  defaultBootDelayMs?: { min: number; max: number };
  /** How often a draining instance's remaining tasks are counted (ms). */
  drainPollMs?: number;
  /** Heartbeat timeout of the managed draining hook (s). */
  managedDrainingTimeoutS?: number;
  /** Activities kept per group. */
  historyLimit?: number;
}

const ACTIVE_STATES = new Set(["Pending", "InService"]);

/**
 * Simulated EC2 Auto Scaling groups: desired capacity reconciled by launching and terminating
 * simulated instances through the InstanceLauncher, zones balanced, scale-in protection honoured,
 * termination lifecycle hooks (Terminating:Wait until completed or timed out) and managed
 * draining. One timer per group, armed for its next deadline only.
 */
export class AutoScalingGroups {
  private readonly timers = new Map<string, { handle: TimerHandle; at: number }>();
  private readonly drainPollMs: number;

  constructor(private readonly opts: AutoScalingGroupsOptions) {
    this.drainPollMs = opts.drainPollMs ?? 5_000;
  }

  create(scope: Scope, input: AutoScalingGroupSpecInput): AutoScalingGroupRecord {
    const spec = AutoScalingGroupSpecSchema.parse(input);
    const state = this.opts.store.region(scope.account, scope.region);
    if (state.autoScalingGroups.has(spec.name)) throw new AutoScalingGroupError(`AutoScalingGroup by this name already exists - A group with the name ${spec.name} already exists`);
    const delay = spec.bootDelayMs ?? this.opts.defaultBootDelayMs ?? { min: 30_000, max: 60_000 };
    const group: AutoScalingGroupRecord = {
      name: spec.name,
      arn: spec.arn ?? autoScalingGroupArn(scope, this.opts.random.uuid(), spec.name),
      minSize: spec.minSize,
      maxSize: spec.maxSize,
      desiredCapacity: spec.desiredCapacity ?? spec.minSize,
      instanceType: spec.instanceType,
      availabilityZones: spec.availabilityZones ?? ["a", "b", "c"].map((z) => `${scope.region}${z}`),
      ...(spec.cluster ? { cluster: spec.cluster } : {}),
      newInstancesProtectedFromScaleIn: spec.newInstancesProtectedFromScaleIn,
      lifecycleHooks: spec.lifecycleHooks,
      bootDelayMs: typeof delay === "number" ? { min: delay, max: delay } : delay,
      instances: [],
      activities: [],
      createdAt: this.opts.clock.now(),
    };
    state.autoScalingGroups.set(group.name, group);
    this.opts.logger.info(`auto scaling group ${group.name} created`, { account: scope.account, region: scope.region });
    this.reconcile(scope, group, "group created");
    return group;
  }

  get(scope: Scope, name: string): AutoScalingGroupRecord {
    const group = this.opts.store.region(scope.account, scope.region).autoScalingGroups.get(name);
    if (!group) throw new AutoScalingGroupError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`, true);
    return group;
  }

  list(scope: Scope): AutoScalingGroupRecord[] {
    return [...this.opts.store.region(scope.account, scope.region).autoScalingGroups.values()];
  }

  /** SetDesiredCapacity: refused outside [minSize, maxSize] with Auto Scaling's wording. */
  setDesiredCapacity(scope: Scope, name: string, desired: number, cause = "a user request"): AutoScalingGroupRecord {
    const group = this.get(scope, name);
    if (desired > group.maxSize) throw new AutoScalingGroupError(`New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`);
    if (desired < group.minSize) throw new AutoScalingGroupError(`New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
    if (desired !== group.desiredCapacity) {
      this.activity(group, { kind: "desired-capacity", description: `Changing desired capacity from ${group.desiredCapacity} to ${desired}`, cause });
      group.desiredCapacity = desired;
    }
    this.reconcile(scope, group, cause);
    return group;
  }

  /** UpdateAutoScalingGroup's sizes; the desired capacity follows a new bound it falls outside of. */
  update(scope: Scope, name: string, patch: { minSize?: number; maxSize?: number; desiredCapacity?: number; newInstancesProtectedFromScaleIn?: boolean }): AutoScalingGroupRecord {
    const group = this.get(scope, name);
    const min = patch.minSize ?? group.minSize;
    const max = patch.maxSize ?? group.maxSize;
    if (min > max) throw new AutoScalingGroupError(`The minimum size ${min} is greater than the maximum size ${max}.`);
    const desired = patch.desiredCapacity ?? Math.min(max, Math.max(min, group.desiredCapacity));
    if (desired < min || desired > max) throw new AutoScalingGroupError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    group.minSize = min;
    group.maxSize = max;
    if (patch.newInstancesProtectedFromScaleIn !== undefined) group.newInstancesProtectedFromScaleIn = patch.newInstancesProtectedFromScaleIn;
    if (desired !== group.desiredCapacity) {
      this.activity(group, { kind: "desired-capacity", description: `Changing desired capacity from ${group.desiredCapacity} to ${desired}`, cause: "an update of the group" });
      group.desiredCapacity = desired;
    }
    this.reconcile(scope, group, "an update of the group");
    return group;
  }

  setInstanceProtection(scope: Scope, name: string, instanceIds: string[], protect: boolean, cause = "a user request"): void {
    const group = this.get(scope, name);
    for (const id of instanceIds) {
      const instance = group.instances.find((i) => i.instanceId === id);
      if (!instance) throw new AutoScalingGroupError(`The instance ${id} is not part of Auto Scaling group ${name}.`);
      if (instance.protectedFromScaleIn === protect) continue;
      instance.protectedFromScaleIn = protect;
      this.activity(group, { kind: "protection", description: `${protect ? "Protecting" : "Unprotecting"} instance ${id} from scale in`, cause, instanceId: id });
    }
    // Lifting protection may let a pending scale-in proceed.
    if (!protect) this.reconcile(scope, group, cause);
  }

  /** CompleteLifecycleAction: CONTINUE and ABANDON both let a terminating instance go. */
  completeLifecycleAction(scope: Scope, name: string, hookName: string, instanceId: string, result: "CONTINUE" | "ABANDON"): void {
    const group = this.get(scope, name);
    if (!group.lifecycleHooks.some((h) => h.name === hookName)) {
      throw new AutoScalingGroupError(`No Lifecycle Hook found with name ${hookName} for group ${name}`);
    }
    const instance = group.instances.find((i) => i.instanceId === instanceId);
    if (!instance || instance.lifecycleState !== "Terminating:Wait" || !instance.pendingHooks?.includes(hookName)) {
      throw new AutoScalingGroupError(`No active Lifecycle Action found with instance ID ${instanceId}`);
    }
    instance.pendingHooks = instance.pendingHooks.filter((h) => h !== hookName);
    this.activity(group, { kind: "lifecycle", description: `Lifecycle action ${hookName} completed with ${result}`, cause: "CompleteLifecycleAction", instanceId });
    if (instance.pendingHooks.length === 0) this.finishTermination(scope, group, instance, `lifecycle action ${result}`);
  }

  /**
   * An instance of a group was terminated outside the group (an admin terminate, a spot
   * interruption): the group forgets it and launches a replacement, as an EC2 health check would.
   * Call it from the container-instance layer's "terminated" change.
   */
  instanceTerminated(scope: Scope, ec2InstanceId: string): void {
    for (const group of this.opts.store.region(scope.account, scope.region).autoScalingGroups.values()) {
      const instance = group.instances.find((i) => i.instanceId === ec2InstanceId);
      if (!instance || instance.lifecycleState === "Terminated") continue;
      group.instances = group.instances.filter((i) => i !== instance);
      this.activity(group, { kind: "terminate", description: `Instance ${ec2InstanceId} was terminated outside the group`, cause: "an instance was terminated", instanceId: ec2InstanceId });
      this.reconcile(scope, group, "an instance was terminated");
      return;
    }
  }

  /** Processes whatever is due now (boots, heartbeat timeouts, drained instances) and re-arms. */
  wake(scope: Scope, name: string): void {
    const group = this.opts.store.region(scope.account, scope.region).autoScalingGroups.get(name);
    if (!group) return;
    const now = this.opts.clock.now();
    for (const instance of [...group.instances]) {
      if (instance.lifecycleState === "Pending" && instance.inServiceAt <= now) {
        instance.lifecycleState = "InService";
        this.activity(group, { kind: "launch", description: `Launching a new EC2 instance: ${instance.instanceId}`, cause: "instance is InService", instanceId: instance.instanceId });
        this.publish(scope, group, "EC2 Instance Launch Successful", instance, { StatusCode: "InProgress" });
      }
      if (instance.lifecycleState !== "Terminating:Wait") continue;
      if (instance.pendingHooks?.includes(MANAGED_DRAINING_HOOK) && this.drained(scope, instance)) {
        instance.pendingHooks = instance.pendingHooks.filter((h) => h !== MANAGED_DRAINING_HOOK);
        if (instance.pendingHooks.length === 0) this.finishTermination(scope, group, instance, "managed draining finished");
      } else if (instance.heartbeatDeadline !== undefined && instance.heartbeatDeadline <= now) {
        this.finishTermination(scope, group, instance, "lifecycle action heartbeat timeout");
      }
    }
    this.arm(scope, group);
  }

  /** Launches or terminates until the in-service-or-pending count meets the desired capacity. */
  reconcile(scope: Scope, group: AutoScalingGroupRecord, cause: string): void {
    const active = () => group.instances.filter((i) => ACTIVE_STATES.has(i.lifecycleState));
    while (active().length < group.desiredCapacity) {
      if (!this.launch(scope, group, cause)) break;
    }
    let excess = active().length - group.desiredCapacity;
    while (excess > 0) {
      const victim = this.pickForTermination(active());
      if (!victim) break;
      this.beginTermination(scope, group, victim, cause);
      excess--;
    }
    this.arm(scope, group);
  }

  /** Launches one instance; false when the launcher refused (the group stays short and says why). */
  private launch(scope: Scope, group: AutoScalingGroupRecord, cause: string): boolean {
    const zone = this.balancedZone(group);
    const { min, max } = group.bootDelayMs;
    const bootDelayMs = min === max ? min : this.opts.random.int(min, max);
    const provider = this.providerName(scope, group);
    let ec2InstanceId: string;
    try {
      ec2InstanceId = this.opts.launcher.launch(scope, {
        cluster: group.cluster ?? (provider && this.associatedCluster(scope, provider)) ?? "default",
        instanceType: group.instanceType,
        availabilityZone: zone,
        autoScalingGroupName: group.name,
        ...(provider ? { capacityProviderName: provider } : {}),
        bootDelayMs,
      }).ec2InstanceId;
    } catch (err) {
      const message = (err as Error).message;
      this.activity(group, { kind: "launch", description: `Launching a new EC2 instance failed: ${message}`, cause });
      this.opts.logger.warn(`auto scaling group ${group.name} could not launch an instance`, { error: message });
      return false;
    }
    const now = this.opts.clock.now();
    const instance: AsgInstanceRecord = {
      instanceId: ec2InstanceId,
      availabilityZone: zone,
      instanceType: group.instanceType,
      lifecycleState: "Pending",
      protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
      launchedAt: now,
      inServiceAt: now + bootDelayMs,
    };
    group.instances.push(instance);
    this.activity(group, { kind: "launch", description: `Launching a new EC2 instance: ${ec2InstanceId}`, cause, instanceId: ec2InstanceId });
    if (bootDelayMs === 0) {
      instance.lifecycleState = "InService";
      this.publish(scope, group, "EC2 Instance Launch Successful", instance, { StatusCode: "InProgress" });
    }
    return true;
  }

  /** The zone with the fewest running or pending instances, the group's order breaking ties. */
  private balancedZone(group: AutoScalingGroupRecord): string {
    const counts = new Map(group.availabilityZones.map((z) => [z, 0]));
    for (const i of group.instances) if (ACTIVE_STATES.has(i.lifecycleState) && counts.has(i.availabilityZone)) counts.set(i.availabilityZone, counts.get(i.availabilityZone)! + 1);
    let best = group.availabilityZones[0]!;
    for (const z of group.availabilityZones) if (counts.get(z)! < counts.get(best)!) best = z;
    return best;
  }

  /**
   * Auto Scaling's default termination policy, simplified: among unprotected instances, the zone
   * with the most instances, then the most recently launched one (the simulator's choice for
   * "closest to the next billing hour").
   */
  private pickForTermination(active: AsgInstanceRecord[]): AsgInstanceRecord | undefined {
    const candidates = active.filter((i) => !i.protectedFromScaleIn);
    if (candidates.length === 0) return undefined;
    const perZone = new Map<string, number>();
    for (const i of active) perZone.set(i.availabilityZone, (perZone.get(i.availabilityZone) ?? 0) + 1);
    return [...candidates].sort(
      (a, b) => perZone.get(b.availabilityZone)! - perZone.get(a.availabilityZone)! || b.launchedAt - a.launchedAt || (a.instanceId < b.instanceId ? 1 : -1),
    )[0];
  }

  private beginTermination(scope: Scope, group: AutoScalingGroupRecord, instance: AsgInstanceRecord, cause: string): void {
    const hooks = group.lifecycleHooks.map((h) => h.name);
    const draining = this.opts.managedDraining?.(scope, group) ?? false;
    if (draining) hooks.push(MANAGED_DRAINING_HOOK);
    this.activity(group, { kind: "terminate", description: `Terminating EC2 instance: ${instance.instanceId}`, cause, instanceId: instance.instanceId });
    if (hooks.length === 0) {
      this.finishTermination(scope, group, instance, cause);
      return;
    }
    instance.lifecycleState = "Terminating:Wait";
    instance.pendingHooks = hooks;
    const timeouts = group.lifecycleHooks.map((h) => h.heartbeatTimeout);
    if (draining) timeouts.push(this.opts.managedDrainingTimeoutS ?? 3600);
    instance.heartbeatDeadline = this.opts.clock.now() + Math.max(...timeouts) * 1000;
    if (draining) {
      try {
        this.opts.launcher.drain(scope, instance.instanceId);
      } catch (err) {
        this.opts.logger.warn(`could not drain ${instance.instanceId}`, { error: (err as Error).message });
      }
    }
    for (const hook of group.lifecycleHooks) {
      this.publish(scope, group, "EC2 Instance-terminate Lifecycle Action", instance, {
        LifecycleActionToken: this.opts.random.uuid(),
        LifecycleHookName: hook.name,
        LifecycleTransition: hook.transition,
      });
    }
  }

  private finishTermination(scope: Scope, group: AutoScalingGroupRecord, instance: AsgInstanceRecord, cause: string): void {
    instance.lifecycleState = "Terminated";
    delete instance.pendingHooks;
    delete instance.heartbeatDeadline;
    try {
      this.opts.launcher.terminate(scope, instance.instanceId, { reason: `Auto Scaling: ${cause}` });
    } catch (err) {
      this.opts.logger.warn(`could not terminate ${instance.instanceId}`, { error: (err as Error).message });
    }
    group.instances = group.instances.filter((i) => i !== instance);
    this.activity(group, { kind: "terminate", description: `Terminated EC2 instance: ${instance.instanceId}`, cause, instanceId: instance.instanceId });
    this.publish(scope, group, "EC2 Instance Terminate Successful", instance, { StatusCode: "InProgress" });
    // A terminated instance below the desired capacity is replaced.
    this.reconcile(scope, group, "an instance was terminated");
  }

  private drained(scope: Scope, instance: AsgInstanceRecord): boolean {
    try {
      return this.opts.launcher.activeTaskCount(scope, instance.instanceId) === 0;
    } catch {
      return true;
    }
  }

  /** One timer per group, for its earliest deadline (and a poll while an instance drains). */
  private arm(scope: Scope, group: AutoScalingGroupRecord): void {
    const now = this.opts.clock.now();
    let at = Infinity;
    for (const i of group.instances) {
      if (i.lifecycleState === "Pending") at = Math.min(at, i.inServiceAt);
      if (i.lifecycleState === "Terminating:Wait") {
        if (i.heartbeatDeadline !== undefined) at = Math.min(at, i.heartbeatDeadline);
        if (i.pendingHooks?.includes(MANAGED_DRAINING_HOOK)) at = Math.min(at, now + this.drainPollMs);
      }
    }
    const key = `${scope.account}/${scope.region}/${group.name}`;
    const current = this.timers.get(key);
    if (current && current.at === at) return;
    if (current) this.opts.clock.clearTimeout(current.handle);
    this.timers.delete(key);
    if (at === Infinity) return;
    const handle = this.opts.clock.setTimeout(() => {
      this.timers.delete(key);
      this.wake(scope, group.name);
    }, Math.max(0, at - now));
    this.timers.set(key, { handle, at });
  }

  /** Re-arms every group's timer (after a restore from a state dir). */
  resume(): void {
    for (const region of this.opts.store.allRegions()) {
      for (const group of region.autoScalingGroups.values()) this.wake({ account: region.account, region: region.region }, group.name);
    }
  }

  close(): void {
    for (const t of this.timers.values()) this.opts.clock.clearTimeout(t.handle);
    this.timers.clear();
  }

  private providerName(scope: Scope, group: AutoScalingGroupRecord): string | undefined {
    const state = this.opts.store.region(scope.account, scope.region);
    for (const r of state.capacityProviders.values()) {
      const ref = r.provider.autoScalingGroupProvider?.autoScalingGroupArn;
      if (r.provider.status === "ACTIVE" && (ref === group.arn || ref === group.name)) return r.provider.name;
    }
    return undefined;
  }

  private associatedCluster(scope: Scope, provider: string): string | undefined {
    const state = this.opts.store.region(scope.account, scope.region);
    for (const c of state.clusters.values()) {
      if (c.cluster.status === "ACTIVE" && (c.cluster.capacityProviders ?? []).includes(provider)) return c.cluster.clusterName;
    }
    return undefined;
  }

  private activity(group: AutoScalingGroupRecord, a: Omit<AsgActivity, "time">): void {
    group.activities.push({ time: this.opts.clock.now(), ...a });
    const limit = this.opts.historyLimit ?? 200;
    if (group.activities.length > limit) group.activities.splice(0, group.activities.length - limit);
  }

  private publish(scope: Scope, group: AutoScalingGroupRecord, detailType: string, instance: AsgInstanceRecord, extra: Record<string, unknown>): void {
    if (!this.opts.events) return;
    const envelope = buildEnvelope({
      detailType,
      account: scope.account,
      region: scope.region,
      resources: [group.arn, `arn:aws:ec2:${scope.region}:${scope.account}:instance/${instance.instanceId}`],
      detail: {
        AutoScalingGroupName: group.name,
        EC2InstanceId: instance.instanceId,
        Details: { "Availability Zone": instance.availabilityZone },
        ...extra,
      },
      timeMs: this.opts.clock.now(),
      random: this.opts.eventRandom ?? this.opts.random,
    });
    this.opts.events.publish({ ...envelope, source: "aws.autoscaling" } as unknown as EcsEventEnvelope);
  }
}
