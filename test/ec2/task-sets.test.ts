import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { defaultLaunchType: "EC2" });

const WEB = (version: string) => ({
  family: "web",
  containerDefinitions: [{ name: "web", image: `nginx:${version}`, cpu: 256, memory: 512, portMappings: [{ containerPort: 80 }] }],
});

describe("task sets on container instances", () => {
  it("an EXTERNAL service's task sets place their tasks on the cluster's instances", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await admin(sim, "POST", "/_sim/container-instances", { cluster: "c", instanceType: "m5.large", count: 2 });
    const v1 = (await ok(sim, "RegisterTaskDefinition", WEB("1"))).taskDefinition.taskDefinitionArn;
    await ok(sim, "CreateService", { cluster: "c", serviceName: "ext", desiredCount: 2, deploymentController: { type: "EXTERNAL" } });
    const set = (await ok(sim, "CreateTaskSet", { cluster: "c", service: "ext", taskDefinition: v1, launchType: "EC2", scale: { value: 100, unit: "PERCENT" } }))
      .taskSet;
    expect(set.launchType).toBe("EC2");
    await sim.advanceClock(120_000);
    const arns = (await ok(sim, "ListTasks", { cluster: "c", startedBy: set.id })).taskArns;
    const tasks = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: arns })).tasks;
    expect(tasks).toHaveLength(2);
    expect(tasks.every((t: any) => t.launchType === "EC2" && t.containerInstanceArn && t.lastStatus === "RUNNING")).toBe(true);
    // The default service strategy spreads them over the zones.
    expect(new Set(tasks.map((t: any) => t.availabilityZone)).size).toBe(2);
  });
});
