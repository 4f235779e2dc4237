import type { SimContext } from "../context.js";
import type { InstanceLauncher } from "../domain/container-instances/types.js";
import type { Scope } from "../domain/scope.js";
import type { EcsEventEnvelope } from "../events/envelope.js";
import { AutoScalingGroups } from "./groups.js";
import { ManagedScaling, type ManagedScalingInputs } from "./managed-scaling.js";
import { AutoScalingGroupSpecSchema } from "./schema.js";
import { Ec2AutoScalingSettingsSchema, type Ec2AutoScalingSettings } from "./settings.js";
import type { AutoScalingGroupRecord } from "./types.js";

export { AutoScalingGroupError, AutoScalingGroups } from "./groups.js";
export { ManagedScaling, type ManagedScalingInputs } from "./managed-scaling.js";
export { AutoScalingGroupSpecSchema } from "./schema.js";

export interface Ec2AutoScaling {
  groups: AutoScalingGroups;
  scaling: ManagedScaling;
  settings: Ec2AutoScalingSettings;
  /** Creates the groups of the config file's `autoScalingGroups` (in the config's account and region unless they say otherwise). */
  createConfiguredGroups(specs: unknown[] | undefined): void;
  /** Timers cancelled and history dropped, for the simulator's reset (the store is reset by its owner). */
  reset(): void;
  /** After a restore from a state dir: timers of booting, terminating and draining instances, and the loop. */
  resume(): void;
  close(): void;
}

export interface Ec2AutoScalingDeps {
  ctx: SimContext;
  launcher: InstanceLauncher;
  inputs: ManagedScalingInputs;
  /** The event hub. */
  events?: { publish(event: EcsEventEnvelope): unknown };
  /** The `ec2AutoScaling` config section, raw. */
  settings?: unknown;
}

/**
 * Builds the simulated Auto Scaling groups and the managed scaling loop from the simulator's
 * context. The composition root passes `scaling.kick` as the capacity providers' onChange.
 */
export function createEc2AutoScaling(deps: Ec2AutoScalingDeps): Ec2AutoScaling {
  const { ctx } = deps;
  const settings = Ec2AutoScalingSettingsSchema.parse(deps.settings ?? {});
  const eventRandom = ctx.random.fork("ec2-autoscaling-events");
  const groups = new AutoScalingGroups({
    clock: ctx.clock,
    random: ctx.random.fork("ec2-autoscaling"),
    store: ctx.store,
    launcher: deps.launcher,
    logger: ctx.logger,
    ...(deps.events ? { events: deps.events } : {}),
    eventRandom,
    managedDraining: (scope, group) => managedDrainingOf(ctx, scope, group),
    defaultBootDelayMs: settings.defaultBootDelayMs,
    drainPollMs: settings.drainPollMs,
    managedDrainingTimeoutS: settings.managedDrainingTimeoutS,
  });
  const scaling = new ManagedScaling({
    clock: ctx.clock,
    store: ctx.store,
    groups,
    inputs: deps.inputs,
    logger: ctx.logger,
    ...(deps.events ? { events: deps.events } : {}),
    eventRandom,
    intervalMs: settings.intervalMs,
    scaleInAfterMs: settings.scaleInAfterMs,
  });
  return {
    groups,
    scaling,
    settings,
    createConfiguredGroups(specs) {
      for (const raw of specs ?? []) {
        const spec = AutoScalingGroupSpecSchema.parse(raw);
        groups.create({ account: spec.account ?? ctx.config.accountId, region: spec.region ?? ctx.config.region }, spec);
      }
    },
    reset() {
      groups.close();
      scaling.reset();
    },
    resume() {
      groups.resume();
      scaling.kick();
    },
    close() {
      groups.close();
      scaling.close();
    },
  };
}

/** A group drains its instances before terminating them when its capacity provider's managedDraining is ENABLED. */
function managedDrainingOf(ctx: SimContext, scope: Scope, group: AutoScalingGroupRecord): boolean {
  const state = ctx.store.region(scope.account, scope.region);
  for (const r of state.capacityProviders.values()) {
    const asg = r.provider.autoScalingGroupProvider;
    if (r.provider.status === "ACTIVE" && (asg?.autoScalingGroupArn === group.arn || asg?.autoScalingGroupArn === group.name)) {
      return asg.managedDraining === "ENABLED";
    }
  }
  return false;
}
