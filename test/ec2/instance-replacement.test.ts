import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, ok, useVirtualSim } from "../helpers/sim.js";
import { advanceUntil } from "../services/helpers.js";

/**
 * The lessons of "operating ECS on EC2 in production", as one test: a cluster of three instances
 * in three zones, a service spread across the zones, standalone tasks, and a rolling replacement
 * of every instance (drain, wait until drained, terminate, a new instance registers). Standalone
 * tasks are not drained (they die with their instance), placed tasks are never rebalanced, so
 * the last new instance ends the replacement with no task at all; the schedulable count shows it.
 */
let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { defaultLaunchType: "EC2" });

const WEB = { family: "web", containerDefinitions: [{ name: "web", image: "nginx", cpu: 256, memory: 1024, portMappings: [{ containerPort: 80 }] }] };
const BATCH = { family: "batch", containerDefinitions: [{ name: "job", image: "busybox", cpu: 128, memory: 512 }] };
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

async function launch(zone: string) {
  const res = await admin(sim, "POST", "/_sim/container-instances", { cluster: "prod", instanceType: "m5.large", availabilityZone: zone });
  expect(res.status).toBe(200);
  return res.body.containerInstances[0] as { containerInstanceArn: string; ec2InstanceId: string };
}

async function describeInstance(arn: string) {
  return (await ok(sim, "DescribeContainerInstances", { cluster: "prod", containerInstances: [arn] })).containerInstances[0];
}

async function serviceTasks() {
  const list = await ok(sim, "ListTasks", { cluster: "prod", serviceName: "web" });
  return (await ok(sim, "DescribeTasks", { cluster: "prod", tasks: list.taskArns })).tasks as any[];
}

async function perInstance(arns: string[]) {
  const tasks = await serviceTasks();
  return arns.map((arn) => tasks.filter((t) => t.containerInstanceArn === arn).length);
}

async function schedulable() {
  const res = await admin(sim, "GET", "/_sim/schedulable?cluster=prod&taskDefinition=web");
  expect(res.status).toBe(200);
  return res.body.capacityProviders[0].instances.map((i: any) => [i.availabilityZone, i.schedulable]);
}

async function steady() {
  await advanceUntil(sim, async () => {
    const s = (await ok(sim, "DescribeServices", { cluster: "prod", services: ["web"] })).services[0];
    return s.deployments.length === 1 && s.runningCount === 6 && s.pendingCount === 0 && s.events[0].message.endsWith("has reached a steady state.");
  });
}

describe("a rolling replacement of a cluster's instances (the talk's scenario)", () => {
  it("drains service tasks away, leaves standalone tasks to die with their instance, and ends with an empty last instance", async () => {
    await ok(sim, "CreateCluster", { clusterName: "prod" });
    const original = [];
    for (const zone of ZONES) original.push(await launch(zone));
    await ok(sim, "RegisterTaskDefinition", WEB);
    await ok(sim, "RegisterTaskDefinition", BATCH);
    await ok(sim, "CreateService", { cluster: "prod", serviceName: "web", taskDefinition: "web", desiredCount: 6 });
    await steady();
    expect(await perInstance(original.map((i) => i.containerInstanceArn))).toEqual([2, 2, 2]);
    const batch = await ok(sim, "RunTask", { cluster: "prod", taskDefinition: "batch", count: 3, placementStrategy: [{ type: "spread", field: "instanceId" }] });
    expect(batch.tasks.map((t: any) => t.containerInstanceArn)).toEqual(original.map((i) => i.containerInstanceArn));
    await sim.simulator.advanceClock(5_000);
    // m5.large: 2048 CPU units, 7985 MiB; each holds 2 x web and one batch task: 5 more web tasks fit on each.
    expect(await schedulable()).toEqual([
      ["us-east-1a", 5],
      ["us-east-1b", 5],
      ["us-east-1c", 5],
    ]);

    const replacements = [];
    for (const [n, old] of original.entries()) {
      await ok(sim, "UpdateContainerInstancesState", { cluster: "prod", containerInstances: [old.containerInstanceArn], status: "DRAINING" });
      // "Drained" for a lifecycle hook: no service task left; the standalone task is not drained.
      await advanceUntil(sim, async () => (await perInstance([old.containerInstanceArn]))[0] === 0);
      await steady();
      const view = await describeInstance(old.containerInstanceArn);
      expect(view.status).toBe("DRAINING");
      expect(view.runningTasksCount).toBe(1);
      const own = (await ok(sim, "DescribeTasks", { cluster: "prod", tasks: [batch.tasks[n].taskArn] })).tasks[0];
      expect(own.lastStatus).toBe("RUNNING");

      await admin(sim, "POST", `/_sim/container-instances/${old.ec2InstanceId}/terminate`, {});
      await sim.simulator.advanceClock(30_000);
      const gone = (await ok(sim, "DescribeTasks", { cluster: "prod", tasks: [batch.tasks[n].taskArn] })).tasks[0];
      expect(gone.lastStatus).toBe("STOPPED");
      expect(gone.stoppedReason).toBe(`Host EC2 (instance ${old.ec2InstanceId}) terminated.`);
      replacements.push(await launch(ZONES[n]!));
      await sim.simulator.advanceClock(5_000);
    }

    // Tasks are never rebalanced: each drain sent its tasks to the zone that had the fewest, the
    // previous replacement, so the last new instance ends with none.
    const arns = replacements.map((i) => i.containerInstanceArn);
    expect(await perInstance(arns)).toEqual([3, 3, 0]);
    const after = await schedulable();
    expect(after).toEqual([
      ["us-east-1a", 4],
      ["us-east-1b", 4],
      ["us-east-1c", 7],
    ]);
    const s = (await ok(sim, "DescribeServices", { cluster: "prod", services: ["web"] })).services[0];
    expect([s.runningCount, s.desiredCount]).toEqual([6, 6]);
  });
});
