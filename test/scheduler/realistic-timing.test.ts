import { describe, expect, it } from "vitest";
import { AWSVPC, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

describe("realistic timing (scenario S12)", () => {
  it("a 5 s poller sees RUNNING even for a container that exits at once, and the stop takes AWS-like time", async () => {
    const sim = await virtualSim({ timing: "realistic", seed: 3 });
    try {
      await ok(sim, "CreateCluster", {});
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      const run = await ok(sim, "RunTask", {
        taskDefinition: "web",
        networkConfiguration: AWSVPC,
        overrides: { containerOverrides: [{ name: "app", environment: [{ name: "ECS_SIM_RUN_MS", value: "0" }] }] },
      });
      const arn = run.tasks[0].taskArn;
      const seen: string[] = [];
      for (let polls = 0; polls < 20; polls++) {
        await sim.advanceClock(5_000);
        const task = (await ok(sim, "DescribeTasks", { tasks: [arn] })).tasks[0];
        seen.push(task.lastStatus);
        if (task.lastStatus === "STOPPED") break;
      }
      expect(seen).toContain("RUNNING");
      expect(seen.at(-1)).toBe("STOPPED");
      const task = (await ok(sim, "DescribeTasks", { tasks: [arn] })).tasks[0];
      expect(task.stopCode).toBe("EssentialContainerExited");
      expect(task.containers[0].exitCode).toBe(0);
      // PROVISIONING plus PENDING of roughly 5-15 s, as on Fargate.
      const startup = task.startedAt - task.createdAt;
      expect(startup).toBeGreaterThanOrEqual(5);
      expect(startup).toBeLessThanOrEqual(16);
    } finally {
      await sim.close();
    }
  });
});
