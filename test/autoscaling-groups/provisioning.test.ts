import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, call, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { logLevel: "silent", provisioningTimeoutMs: 600_000 });

/** A cluster whose only provider is a managed-scaling group that may not grow beyond `maxSize`. */
async function cluster(maxSize: number, managed: "ENABLED" | "DISABLED" = "ENABLED") {
  expect((await admin(sim, "POST", "/_sim/autoscaling-groups", { name: "asg", minSize: 0, maxSize, instanceType: "m5.large" })).status).toBe(200);
  await ok(sim, "CreateCapacityProvider", {
    name: "cp",
    autoScalingGroupProvider: { autoScalingGroupArn: "asg", managedScaling: { status: managed, targetCapacity: 100 } },
  });
  await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["cp"], defaultCapacityProviderStrategy: [{ capacityProvider: "cp", weight: 1 }] });
  await ok(sim, "RegisterTaskDefinition", { family: "work", containerDefinitions: [{ name: "app", image: "busybox", cpu: 512, memory: 1024 }] });
}

describe("tasks waiting for an Auto Scaling capacity provider", () => {
  it("wait in PROVISIONING when managed scaling is on, and stop when no room comes before the timeout", async () => {
    await cluster(0);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "work", count: 2 });
    expect(run.failures).toEqual([]);
    expect(run.tasks.map((t: any) => [t.lastStatus, t.capacityProviderName, t.containerInstanceArn])).toEqual([
      ["PROVISIONING", "cp", undefined],
      ["PROVISIONING", "cp", undefined],
    ]);
    await sim.advanceClock(540_000);
    const waiting = await ok(sim, "DescribeTasks", { cluster: "c", tasks: run.tasks.map((t: any) => t.taskArn) });
    expect(waiting.tasks.map((t: any) => t.lastStatus)).toEqual(["PROVISIONING", "PROVISIONING"]);
    await sim.advanceClock(120_000);
    const stopped = await ok(sim, "DescribeTasks", { cluster: "c", tasks: run.tasks.map((t: any) => t.taskArn) });
    expect(stopped.tasks.map((t: any) => [t.lastStatus, t.stopCode])).toEqual([
      ["STOPPED", "TaskFailedToStart"],
      ["STOPPED", "TaskFailedToStart"],
    ]);
    expect(stopped.tasks[0].stoppedReason).toMatch(/capacity provider cp/);
  });

  it("keep at most 100 waiting per cluster", async () => {
    await cluster(0);
    for (let i = 0; i < 10; i++) expect((await ok(sim, "RunTask", { cluster: "c", taskDefinition: "work", count: 10 })).tasks).toHaveLength(10);
    const over = await call(sim, "RunTask", { cluster: "c", taskDefinition: "work", count: 1 });
    expect(over.body.message).toBe("No Container Instances were found in your cluster.");
  });

  it("a service whose tasks find the queue full logs AWS's provisioning-limit event", async () => {
    await cluster(0);
    for (let i = 0; i < 10; i++) await ok(sim, "RunTask", { cluster: "c", taskDefinition: "work", count: 10 });
    await ok(sim, "CreateService", { cluster: "c", serviceName: "svc", taskDefinition: "work", desiredCount: 1 });
    await sim.advanceClock(30_000);
    const events = (await ok(sim, "DescribeServices", { cluster: "c", services: ["svc"] })).services[0].events.map((e: any) => e.message);
    expect(events).toContain("(service svc) was unable to place tasks in your cluster because the tasks provisioning capacity limit was exceeded.");
  });

  it("a StopTask ends the wait", async () => {
    await cluster(0);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "work" });
    await ok(sim, "StopTask", { cluster: "c", task: run.tasks[0].taskArn });
    await sim.advanceClock(60_000);
    const task = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [run.tasks[0].taskArn] })).tasks[0];
    expect([task.lastStatus, task.stopCode]).toEqual(["STOPPED", "UserInitiated"]);
  });

  it("fail at once without managed scaling, as on AWS", async () => {
    await cluster(0, "DISABLED");
    const res = await call(sim, "RunTask", { cluster: "c", taskDefinition: "work" });
    expect(res.body.message).toBe("No Container Instances were found in your cluster.");
  });
});
