import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { ok } from "../helpers/sim.js";

function open(dir: string): Promise<RunningSimulator> {
  return startSimulator({ runtime: "simulated", clock: "virtual", seed: 3, stateDir: dir, logLevel: "silent" });
}

describe("container instances with --state-dir", () => {
  it("keep their registration, attributes, status and the resources their tasks hold across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-ec2-state-"));
    const first = await open(dir);
    await ok(first, "CreateCluster", { clusterName: "c" });
    await first.simulator.app.inject({ method: "POST", url: "/_sim/container-instances", payload: { cluster: "c", instanceType: "c5.xlarge", count: 2 } });
    const arns = (await ok(first, "ListContainerInstances", { cluster: "c" })).containerInstanceArns;
    await ok(first, "PutAttributes", { cluster: "c", attributes: [{ name: "stack", value: "blue", targetId: arns[0] }] });
    await ok(first, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [arns[1]], status: "DRAINING" });
    await ok(first, "RegisterTaskDefinition", { family: "w", containerDefinitions: [{ name: "a", image: "x", cpu: 1024, memory: 1024 }] });
    await ok(first, "RunTask", { cluster: "c", taskDefinition: "w" });
    await first.advanceClock(30_000);
    const before = await ok(first, "DescribeContainerInstances", { cluster: "c", containerInstances: arns });
    await first.close();

    const second = await open(dir);
    try {
      const after = await ok(second, "DescribeContainerInstances", { cluster: "c", containerInstances: arns });
      expect(after).toEqual(before);
      const drained = await ok(second, "ListContainerInstances", { cluster: "c", status: "DRAINING" });
      expect(drained.containerInstanceArns).toEqual([arns[1]]);
    } finally {
      await second.close();
    }
  });
});
