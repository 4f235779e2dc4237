import { expect } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, ok } from "../helpers/sim.js";

/** Calls the EC2 suites share, on cluster "c" of the simulator `sim()` returns. */
export function ec2Helpers(sim: () => RunningSimulator) {
  return {
    /** Registers `count` simulated m5.large instances (spread over the region's zones). */
    async instances(count: number, extra: Record<string, unknown> = {}) {
      const res = await admin(sim(), "POST", "/_sim/container-instances", { cluster: "c", instanceType: "m5.large", count, ...extra });
      expect(res.status).toBe(200);
      return res.body.containerInstances as any[];
    },
    async service(name: string) {
      return (await ok(sim(), "DescribeServices", { cluster: "c", services: [name] })).services[0];
    },
    async tasksOf(name: string, desiredStatus = "RUNNING") {
      const list = await ok(sim(), "ListTasks", { cluster: "c", serviceName: name, desiredStatus });
      if (list.taskArns.length === 0) return [];
      return (await ok(sim(), "DescribeTasks", { cluster: "c", tasks: list.taskArns })).tasks as any[];
    },
  };
}
