import { describe, expect, it } from "vitest";
import { createEc2AutoScaling } from "../../src/autoscaling-groups/index.js";
import { storeScalingInputs } from "../../src/autoscaling-groups/store-inputs.js";
import type { RunningSimulator } from "../../src/index.js";
import { call, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

const scope = { account: "000000000000", region: "us-east-1" };

/** The groups attached to a running simulator the way the composition root would attach them. */
function attach() {
  const s = sim.simulator;
  return createEc2AutoScaling({ ctx: s.ctx, launcher: s.instances.lifecycle, inputs: storeScalingInputs(s.ctx.store), events: s.events });
}

describe("simulated groups with the container-instance layer", () => {
  it("refuses managed termination protection on a group without scale-in protection for new instances", async () => {
    const ec2 = attach();
    try {
      ec2.groups.create(scope, { name: "open", minSize: 0, maxSize: 1, instanceType: "m5.large" });
      const res = await call(sim, "CreateCapacityProvider", { name: "cp", autoScalingGroupProvider: { autoScalingGroupArn: "open", managedTerminationProtection: "ENABLED" } });
      expect(res.body).toEqual({
        __type: "ClientException",
        message:
          "The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.",
      });
      ec2.groups.update(scope, "open", { newInstancesProtectedFromScaleIn: true });
      expect((await call(sim, "CreateCapacityProvider", { name: "cp", autoScalingGroupProvider: { autoScalingGroupArn: "open", managedTerminationProtection: "ENABLED" } })).status).toBe(200);
    } finally {
      ec2.close();
    }
  });

  it("resumes booting instances after a reset of its timers", async () => {
    const ec2 = attach();
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      const g = ec2.groups.create(scope, { name: "g", minSize: 0, maxSize: 2, desiredCapacity: 1, instanceType: "m5.large", cluster: "c", bootDelayMs: 10_000 });
      ec2.reset();
      ec2.resume();
      await sim.advanceClock(10_000);
      expect(g.instances[0]!.lifecycleState).toBe("InService");
    } finally {
      ec2.close();
    }
  });

  it("launches instances that register into the provider's cluster after their boot delay, and drains them away", async () => {
    const ec2 = attach();
    try {
      await ok(sim, "CreateCapacityProvider", { name: "cp", autoScalingGroupProvider: { autoScalingGroupArn: "asg", managedDraining: "ENABLED" } });
      await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["cp"], defaultCapacityProviderStrategy: [{ capacityProvider: "cp", weight: 1 }] });
      ec2.groups.create(scope, { name: "asg", minSize: 0, maxSize: 3, desiredCapacity: 3, instanceType: "m5.large", bootDelayMs: 20_000 });
      expect((await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns).toEqual([]);
      await sim.advanceClock(20_000);
      const arns = (await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns;
      expect(arns).toHaveLength(3);
      const described = (await ok(sim, "DescribeContainerInstances", { cluster: "c", containerInstances: arns })).containerInstances;
      expect(described.map((i: { capacityProviderName: string }) => i.capacityProviderName)).toEqual(["cp", "cp", "cp"]);
      const zones = described.map((i: { attributes: { name: string; value: string }[] }) => i.attributes.find((a) => a.name === "ecs.availability-zone")?.value).sort();
      expect(zones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
      const group = ec2.groups.get(scope, "asg");
      expect(group.instances.every((i) => i.lifecycleState === "InService")).toBe(true);

      ec2.groups.setDesiredCapacity(scope, "asg", 2);
      const leaving = group.instances.find((i) => i.lifecycleState === "Terminating:Wait")!;
      const draining = (await ok(sim, "ListContainerInstances", { cluster: "c", status: "DRAINING" })).containerInstanceArns;
      expect(draining).toHaveLength(1);
      await sim.advanceClock(5_000);
      expect(group.instances.map((i) => i.instanceId)).not.toContain(leaving.instanceId);
      expect((await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns).toHaveLength(2);
      const events = sim.simulator.events.list().filter((e) => e.source === ("aws.autoscaling" as string)).map((e) => e["detail-type"]);
      expect(events.filter((t) => t === "EC2 Instance Launch Successful")).toHaveLength(3);
      expect(events).toContain("EC2 Instance Terminate Successful");
    } finally {
      ec2.close();
    }
  });
});
