import { describe, expect, it } from "vitest";
import { AutoScalingGroups } from "../../src/autoscaling-groups/groups.js";
import { DETAIL_TYPE_SCALING, ManagedScaling } from "../../src/autoscaling-groups/managed-scaling.js";
import { VirtualClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import { normalizeProvider } from "../../src/domain/asg-capacity-providers.js";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";
import { Store } from "../../src/state/store.js";
import { FakeLauncher } from "../helpers/fake-launcher.js";

const scope = { account: "000000000000", region: "us-east-1" };
const MIN = 60_000;

function harness(seed: number, scaling: Record<string, unknown> = { status: "ENABLED", targetCapacity: 100 }) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = new Store();
  const launcher = new FakeLauncher(clock);
  const events: EcsEventEnvelope[] = [];
  const logger = createLogger({ level: "silent", format: "text", now: () => clock.now() });
  const state = store.region(scope.account, scope.region);
  const groups = new AutoScalingGroups({
    clock,
    store,
    launcher,
    random: new SeededRandom(seed),
    logger,
    events: { publish: (e) => events.push(e) },
    managedDraining: () => true,
  });
  const group = groups.create(scope, {
    name: "asg",
    minSize: 0,
    maxSize: 10,
    desiredCapacity: 0,
    instanceType: "m5.large",
    cluster: "c",
    newInstancesProtectedFromScaleIn: true,
    bootDelayMs: { min: 30_000, max: 90_000 },
  });
  state.clusters.set("c", { cluster: { clusterName: "c", clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/c", status: "ACTIVE", capacityProviders: ["cp"] } });
  state.capacityProviders.set("cp", {
    provider: {
      name: "cp",
      status: "ACTIVE",
      autoScalingGroupProvider: normalizeProvider({ autoScalingGroupArn: group.arn, managedScaling: scaling, managedTerminationProtection: "ENABLED" }),
    },
  });
  const scaler = new ManagedScaling({ clock, store, groups, inputs: launcher, logger, events: { publish: (e) => events.push(e) }, eventRandom: new SeededRandom(seed + 1) });
  return { clock, launcher, group, scaler, events, state };
}

/** 20 pending tasks of 0.5 vCPU / 1 GiB, placed 4 per m5.large once instances register (what the scheduler would do). */
async function scenario(seed: number) {
  const h = harness(seed);
  h.launcher.provisioning = Array.from({ length: 20 }, () => ({ cpu: 512, memory: 1024 }));
  h.scaler.kick();
  expect(h.scaler.armed).toBe(true);
  await h.clock.advance(MIN);
  expect(h.group.desiredCapacity).toBe(5);
  expect(h.group.instances).toHaveLength(5);
  expect(h.group.instances.every((i) => i.protectedFromScaleIn)).toBe(true);
  // The instances boot; the scheduler places the waiting tasks on them.
  await h.clock.advance(90_000);
  for (const i of h.launcher.live()) i.tasks = 4;
  h.launcher.provisioning = [];
  await h.clock.advance(10 * MIN);
  expect(h.group.desiredCapacity).toBe(5);
  const busy = h.scaler.view(scope).cp!.last!;
  expect([busy.m, busy.n, busy.metric]).toEqual([5, 5, 100]);
  // The tasks stop: idle instances lose their protection, and after 15 minutes below target the group scales in.
  for (const i of h.launcher.live()) i.tasks = 0;
  await h.clock.advance(2 * MIN);
  expect(h.group.instances.every((i) => !i.protectedFromScaleIn)).toBe(true);
  expect(h.group.desiredCapacity).toBe(5);
  await h.clock.advance(15 * MIN);
  expect(h.group.desiredCapacity).toBe(0);
  await h.clock.advance(10_000);
  expect(h.launcher.live()).toEqual([]);
  return h;
}

describe("ECS managed scaling", () => {
  it("scales out from 0 instances for 20 pending tasks and back in when they stop", async () => {
    const h = await scenario(7);
    const actions = h.scaler.view(scope).cp!.actions.map((a) => `${a.action} ${a.from ?? ""}->${a.to ?? ""}`);
    expect(actions).toEqual(["scale-out 0->5", "unprotect ->", "scale-in 5->0"]);
    const scalingEvents = h.events.filter((e) => e["detail-type"] === DETAIL_TYPE_SCALING);
    expect(scalingEvents[0]!.detail).toMatchObject({
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/c",
      capacityProviderName: "cp",
      action: "scale-out",
      metricName: "CapacityProviderReservation",
      metricValue: 200,
      fromDesiredCapacity: 0,
      toDesiredCapacity: 5,
    });
    expect(h.scaler.view(scope).cp!.metrics[0]).toMatchObject({ value: 200, m: 5, n: 0 });
    const cloudwatch = h.state.metrics.list().find((m) => m.id.MetricName === "CapacityProviderReservation")!;
    expect(cloudwatch.id).toMatchObject({ Namespace: "AWS/ECS/ManagedScaling" });
    expect(cloudwatch.points).toBeGreaterThan(20);
  });

  it("is deterministic by seed", async () => {
    const a = await scenario(11);
    const b = await scenario(11);
    expect(a.launcher.calls).toEqual(b.launcher.calls);
    expect(a.events.map((e) => [e.id, e["detail-type"], e.time])).toEqual(b.events.map((e) => [e.id, e["detail-type"], e.time]));
  });

  it("keeps spare capacity below targetCapacity 100 and bounds the step", async () => {
    const h = harness(3, { status: "ENABLED", targetCapacity: 50, maximumScalingStepSize: 2 });
    h.launcher.provisioning = Array.from({ length: 20 }, () => ({ cpu: 512, memory: 1024 }));
    h.scaler.kick();
    await h.clock.advance(MIN);
    // M = 0 + min(5, 2) = 2; at 50% the group holds 4.
    expect(h.group.desiredCapacity).toBe(4);
  });

  it("stays disarmed without a provider that has managed scaling on", () => {
    const h = harness(5, { status: "DISABLED" });
    h.scaler.kick();
    expect(h.scaler.armed).toBe(false);
    h.state.capacityProviders.get("cp")!.provider.autoScalingGroupProvider!.managedScaling!.status = "ENABLED";
    h.scaler.kick();
    expect(h.scaler.armed).toBe(true);
    h.state.capacityProviders.get("cp")!.provider.status = "INACTIVE";
    h.scaler.kick();
    expect(h.scaler.armed).toBe(false);
  });
});

describe("where a group's instances register", () => {
  it("joins the cluster its capacity provider is associated with when the group names none", () => {
    const h = harness(2);
    h.group.cluster = undefined;
    h.scaler.kick();
    return h.clock.advance(MIN).then(() => {
      h.launcher.provisioning = [{ cpu: 512, memory: 1024 }];
      h.scaler.tick();
      expect(h.launcher.live().map((i) => [i.spec.cluster, i.spec.capacityProviderName, i.spec.autoScalingGroupName])).toEqual([["c", "cp", "asg"]]);
    });
  });
});
