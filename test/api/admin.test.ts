import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/index.js";
import { admin, AWSVPC, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

describe("admin API", () => {
  it("reports health with version, runtime, clock and seed", async () => {
    const sim = await virtualSim({ seed: 123 });
    try {
      const health = await admin(sim, "GET", "/_sim/health");
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: "ok", version: "0.1.0", runtime: "simulated", clock: "virtual", seed: 123, timing: "fast" });
      expect(health.body.now).toBe("2026-01-01T00:00:00.000Z");
    } finally {
      await sim.close();
    }
  });

  it("advances the virtual clock and refuses to under the real clock", async () => {
    const sim = await virtualSim();
    try {
      const moved = await admin(sim, "POST", "/_sim/clock/advance", { ms: 90_000 });
      expect(moved.body).toEqual({ now: "2026-01-01T00:01:30.000Z", nowMs: Date.UTC(2026, 0, 1, 0, 1, 30) });
      expect((await admin(sim, "POST", "/_sim/clock/advance", { ms: -1 })).status).toBe(400);
    } finally {
      await sim.close();
    }
    const real = await startSimulator({ runtime: "simulated" });
    try {
      expect((await admin(real, "POST", "/_sim/clock/advance", { ms: 1 })).status).toBe(409);
    } finally {
      await real.close();
    }
  });

  it("dumps state per account and region, and reset wipes it", async () => {
    const sim = await virtualSim();
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC });
      const state = (await admin(sim, "GET", "/_sim/state")).body;
      expect(state.regions).toHaveLength(1);
      expect(state.regions[0]).toMatchObject({ account: "000000000000", region: "us-east-1" });
      expect(state.regions[0].clusters.map((c: any) => c.clusterName)).toEqual(["c"]);
      expect(state.regions[0].tasks).toHaveLength(1);
      expect(typeof state.regions[0].tasks[0].createdAt).toBe("number");
      expect((await admin(sim, "POST", "/_sim/reset")).body).toEqual({ status: "reset" });
      expect((await admin(sim, "GET", "/_sim/state")).body).toEqual({ regions: [] });
      expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("serves a task's captured logs (empty in the simulated runtime) and 404 for an unknown task", async () => {
    const sim = await virtualSim();
    try {
      await ok(sim, "CreateCluster", {});
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      const run = await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
      const id = run.tasks[0].taskArn.split("/").pop();
      const logs = await admin(sim, "GET", `/_sim/tasks/${id}/logs`);
      expect(logs.body).toEqual({
        taskArn: run.tasks[0].taskArn,
        containers: [{ name: "app", logGroupName: "/ecs-sim/default", logStreamName: `web/app/${id}`, events: [] }],
      });
      expect((await admin(sim, "GET", "/_sim/tasks/nope/logs")).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it("shows a simulated EC2 task's ports as DescribeTasks does, with no local address (nothing listens), and 404 for an unknown task", async () => {
    const sim = await virtualSim();
    try {
      await ok(sim, "CreateCluster", {});
      expect((await admin(sim, "POST", "/_sim/container-instances", { cluster: "default", instanceType: "m5.large" })).status).toBe(200);
      await ok(sim, "RegisterTaskDefinition", {
        family: "bridge",
        networkMode: "bridge",
        containerDefinitions: [{ name: "web", image: "nginx", memory: 64, portMappings: [{ containerPort: 80 }] }],
      });
      const run = await ok(sim, "RunTask", { taskDefinition: "bridge", launchType: "EC2" });
      const arn = run.tasks[0].taskArn;
      await admin(sim, "POST", "/_sim/clock/advance", { ms: 60_000 });
      const ports = await admin(sim, "GET", `/_sim/tasks/${arn.split("/").pop()}/ports`);
      expect(ports.body).toMatchObject({
        taskArn: arn,
        lastStatus: "RUNNING",
        containerInstanceArn: run.tasks[0].containerInstanceArn,
        containers: [{ name: "web", ports: [{ containerPort: 80, protocol: "tcp", hostPort: 49153 }] }],
      });
      expect(ports.body.containers[0].ports[0].url).toBeUndefined();
      expect((await admin(sim, "GET", "/_sim/tasks/nope/ports")).status).toBe(404);
    } finally {
      await sim.close();
    }
  });
});
