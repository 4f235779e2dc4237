import { describe, expect, it } from "vitest";
import { AutoScalingGroupError, AutoScalingGroups, MANAGED_DRAINING_HOOK } from "../../src/autoscaling-groups/groups.js";
import { VirtualClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";
import { Store } from "../../src/state/store.js";
import { FakeLauncher } from "../helpers/fake-launcher.js";

const scope = { account: "000000000000", region: "us-east-1" };

function harness(opts: { seed?: number; draining?: boolean } = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = new Store();
  const launcher = new FakeLauncher(clock);
  const events: EcsEventEnvelope[] = [];
  const groups = new AutoScalingGroups({
    clock,
    store,
    launcher,
    random: new SeededRandom(opts.seed ?? 1),
    logger: createLogger({ level: "silent", format: "text", now: () => clock.now() }),
    events: { publish: (e) => events.push(e) },
    managedDraining: () => opts.draining ?? false,
  });
  return { clock, store, launcher, events, groups };
}

describe("simulated Auto Scaling groups", () => {
  it("launches the desired capacity across zones, InService after a seeded boot delay", async () => {
    const h = harness();
    const g = h.groups.create(scope, { name: "asg", minSize: 0, maxSize: 10, desiredCapacity: 4, instanceType: "m5.large", cluster: "c", bootDelayMs: { min: 10_000, max: 20_000 } });
    expect(g.arn).toMatch(/^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/asg$/);
    expect(g.instances.map((i) => i.availabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a"]);
    expect(g.instances.every((i) => i.lifecycleState === "Pending")).toBe(true);
    const delays = g.instances.map((i) => i.inServiceAt - i.launchedAt);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(10_000);
    for (const d of delays) expect(d).toBeLessThanOrEqual(20_000);
    expect([...h.launcher.instances.values()].map((i) => i.spec.cluster)).toEqual(["c", "c", "c", "c"]);
    await h.clock.advance(20_000);
    expect(g.instances.every((i) => i.lifecycleState === "InService")).toBe(true);
    expect(h.events.filter((e) => e["detail-type"] === "EC2 Instance Launch Successful")).toHaveLength(4);
    expect(h.events[0]!.source).toBe("aws.autoscaling");
    // Same seed, same delays.
    const again = harness();
    const g2 = again.groups.create(scope, { name: "asg", minSize: 0, maxSize: 10, desiredCapacity: 4, instanceType: "m5.large", bootDelayMs: { min: 10_000, max: 20_000 } });
    expect(g2.instances.map((i) => i.inServiceAt - i.launchedAt)).toEqual(delays);
  });

  it("refuses a desired capacity outside min and max with Auto Scaling's words", () => {
    const h = harness();
    h.groups.create(scope, { name: "asg", minSize: 1, maxSize: 3, instanceType: "t3.micro", bootDelayMs: 0 });
    expect(() => h.groups.setDesiredCapacity(scope, "asg", 5)).toThrow("New SetDesiredCapacity value 5 is above max value 3 for the AutoScalingGroup.");
    expect(() => h.groups.setDesiredCapacity(scope, "asg", 0)).toThrow("New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.");
    expect(() => h.groups.setDesiredCapacity(scope, "nope", 1)).toThrow(AutoScalingGroupError);
    expect(() => h.groups.create(scope, { name: "bad", minSize: 3, maxSize: 1, instanceType: "t3.micro" })).toThrow();
  });

  it("scales in keeping zones balanced and never terminating protected instances", () => {
    const h = harness();
    const g = h.groups.create(scope, { name: "asg", minSize: 0, maxSize: 10, desiredCapacity: 4, instanceType: "m5.large", bootDelayMs: 0 });
    const [a1, b1, c1, a2] = g.instances.map((i) => i.instanceId);
    h.groups.setInstanceProtection(scope, "asg", [a2!], true);
    h.groups.setDesiredCapacity(scope, "asg", 3);
    // Zone a has two; its unprotected one goes.
    expect(g.instances.map((i) => i.instanceId)).toEqual([b1, c1, a2]);
    expect(h.launcher.instances.get(a1!)!.status).toBe("TERMINATED");
    h.groups.setInstanceProtection(scope, "asg", [b1!, c1!], true);
    h.groups.setDesiredCapacity(scope, "asg", 0);
    expect(g.instances).toHaveLength(3);
    h.groups.setInstanceProtection(scope, "asg", [c1!], false);
    expect(g.instances.map((i) => i.instanceId)).toEqual([b1, a2]);
  });

  it("holds a terminating instance in Terminating:Wait until CompleteLifecycleAction or the heartbeat timeout", async () => {
    const h = harness();
    const g = h.groups.create(scope, {
      name: "asg",
      minSize: 0,
      maxSize: 10,
      desiredCapacity: 2,
      instanceType: "m5.large",
      bootDelayMs: 0,
      lifecycleHooks: [{ name: "drain-hook", heartbeatTimeout: 300 }],
    });
    h.groups.setDesiredCapacity(scope, "asg", 1);
    const waiting = g.instances.find((i) => i.lifecycleState === "Terminating:Wait")!;
    const hookEvent = h.events.find((e) => e["detail-type"] === "EC2 Instance-terminate Lifecycle Action")!;
    expect(hookEvent.detail).toMatchObject({ AutoScalingGroupName: "asg", EC2InstanceId: waiting.instanceId, LifecycleHookName: "drain-hook", LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" });
    expect(h.launcher.instances.get(waiting.instanceId)!.status).toBe("ACTIVE");
    h.groups.completeLifecycleAction(scope, "asg", "drain-hook", waiting.instanceId, "CONTINUE");
    expect(h.launcher.instances.get(waiting.instanceId)!.status).toBe("TERMINATED");
    expect(() => h.groups.completeLifecycleAction(scope, "asg", "drain-hook", waiting.instanceId, "CONTINUE")).toThrow(/No active Lifecycle Action/);

    h.groups.setDesiredCapacity(scope, "asg", 0);
    const second = g.instances[0]!;
    expect(second.lifecycleState).toBe("Terminating:Wait");
    await h.clock.advance(299_000);
    expect(h.launcher.instances.get(second.instanceId)!.status).toBe("ACTIVE");
    await h.clock.advance(1_000);
    expect(h.launcher.instances.get(second.instanceId)!.status).toBe("TERMINATED");
    expect(g.instances).toEqual([]);
  });

  it("drains before terminating when the provider's managed draining is on", async () => {
    const h = harness({ draining: true });
    const g = h.groups.create(scope, { name: "asg", minSize: 0, maxSize: 10, desiredCapacity: 1, instanceType: "m5.large", bootDelayMs: 0 });
    const id = g.instances[0]!.instanceId;
    h.launcher.instances.get(id)!.tasks = 2;
    h.groups.setDesiredCapacity(scope, "asg", 0);
    expect(g.instances[0]!.pendingHooks).toEqual([MANAGED_DRAINING_HOOK]);
    expect(h.launcher.instances.get(id)!.status).toBe("DRAINING");
    await h.clock.advance(60_000);
    expect(h.launcher.instances.get(id)!.status).toBe("DRAINING");
    h.launcher.instances.get(id)!.tasks = 0;
    await h.clock.advance(5_000);
    expect(h.launcher.instances.get(id)!.status).toBe("TERMINATED");
    expect(h.launcher.calls).toEqual([`launch ${id} us-east-1a 0`, `drain ${id}`, `terminate ${id}`]);
  });

  it("replaces an instance terminated outside the group", () => {
    const h = harness();
    const g = h.groups.create(scope, { name: "asg", minSize: 0, maxSize: 3, desiredCapacity: 2, instanceType: "m5.large", bootDelayMs: 0 });
    const gone = g.instances[0]!.instanceId;
    h.launcher.terminate(scope, gone);
    h.groups.instanceTerminated(scope, gone);
    expect(g.instances).toHaveLength(2);
    expect(g.instances.map((i) => i.instanceId)).not.toContain(gone);
    expect(h.launcher.live()).toHaveLength(2);
  });

  it("stays short, saying why, when the launcher refuses an instance", () => {
    const h = harness();
    h.launcher.launch = () => {
      throw new Error("Cluster not found.");
    };
    const g = h.groups.create(scope, { name: "asg", minSize: 0, maxSize: 3, desiredCapacity: 2, instanceType: "m5.large", bootDelayMs: 0 });
    expect(g.instances).toEqual([]);
    expect(g.activities.at(-1)!.description).toBe("Launching a new EC2 instance failed: Cluster not found.");
  });

  it("lowers the desired capacity with a new maximum", () => {
    const h = harness();
    const g = h.groups.create(scope, { name: "asg", minSize: 1, maxSize: 2, desiredCapacity: 2, instanceType: "m5.large", bootDelayMs: 0 });
    h.groups.update(scope, "asg", { maxSize: 1 });
    expect(g.desiredCapacity).toBe(1);
    expect(g.instances).toHaveLength(1);
    expect(g.activities.map((a) => a.kind)).toContain("desired-capacity");
  });
});
