import { describe, expect, it } from "vitest";
import { virtualSim, ok } from "../helpers/sim.js";

const scope = { account: "000000000000", region: "us-east-1" };
const MIN = 60_000;

/** A simulator on the virtual clock, with its Auto Scaling groups and capacity providers. */
async function start(seed: number) {
  const sim = await virtualSim({ seed, logLevel: "silent" });
  return { sim, ec2: sim.simulator.ec2, providers: sim.simulator.domain.capacityProviders! };
}

async function scenario(seed: number) {
  const { sim, ec2, providers } = await start(seed);
  try {
    ec2.groups.create(scope, { name: "asg", minSize: 0, maxSize: 10, instanceType: "m5.large", newInstancesProtectedFromScaleIn: true, bootDelayMs: { min: 30_000, max: 90_000 } });
    providers.create(scope, {
      name: "cp",
      autoScalingGroupProvider: { autoScalingGroupArn: "asg", managedScaling: { status: "ENABLED", targetCapacity: 100 }, managedTerminationProtection: "ENABLED" },
    });
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["cp"], defaultCapacityProviderStrategy: [{ capacityProvider: "cp", weight: 1 }] });
    await ok(sim, "RegisterTaskDefinition", { family: "work", containerDefinitions: [{ name: "app", image: "busybox", cpu: 512, memory: 1024 }] });
    const taskArns: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "work", count: 10 });
      taskArns.push(...run.tasks.map((t: { taskArn: string }) => t.taskArn));
    }
    expect(taskArns).toHaveLength(20);
    const group = ec2.groups.get(scope, "asg");
    expect(group.instances).toHaveLength(0);
    await sim.advanceClock(MIN);
    // 20 tasks of 0.5 vCPU / 1 GiB, 4 per m5.large: the reservation is 200 and the group goes to 5.
    expect(group.desiredCapacity).toBe(5);
    await sim.advanceClock(3 * MIN);
    const running = await ok(sim, "DescribeTasks", { cluster: "c", tasks: taskArns.slice(0, 100) });
    expect(running.tasks.filter((t: { lastStatus: string }) => t.lastStatus === "RUNNING")).toHaveLength(20);
    expect((await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns).toHaveLength(5);
    for (const taskArn of taskArns) await ok(sim, "StopTask", { cluster: "c", task: taskArn });
    await sim.advanceClock(20 * MIN);
    expect(group.desiredCapacity).toBe(0);
    await sim.advanceClock(MIN);
    expect(group.instances).toEqual([]);
    expect((await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns).toEqual([]);
    const actions = ec2.scaling.view(scope).cp!.actions.map((a) => `${a.action} ${a.from ?? ""}->${a.to ?? ""}`);
    return { actions, launches: group.activities.filter((a) => a.kind === "launch").map((a) => [a.time, a.instanceId]) };
  } finally {
    ec2.close();
    await sim.close();
  }
}

describe("managed scaling with the task scheduler", () => {
  it("scales an Auto Scaling group out from 0 for 20 waiting tasks and back in when they stop, the same by seed", async () => {
    const first = await scenario(21);
    expect(first.actions).toEqual(["scale-out 0->5", "unprotect ->", "scale-in 5->0"]);
    const again = await scenario(21);
    expect(again).toEqual(first);
  });
});
