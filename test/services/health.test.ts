import { afterEach, describe as suite, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { advanceUntil, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

const HEALTH_CHECK = { command: ["CMD-SHELL", "true"], interval: 5, timeout: 2, retries: 1, startPeriod: 0 };

function withHealthCheck(env: Record<string, string> = {}) {
  const def = webDefinition("web", env);
  (def.containerDefinitions[0] as any).healthCheck = HEALTH_CHECK;
  return def;
}

suite("service health", () => {
  it("counts a task healthy when its container health checks pass, or after the wait when it has none", async () => {
    sim = await newSim({ services: { healthyAfterMs: 60_000 } });
    const checked = await register(sim, withHealthCheck());
    const unchecked = await register(sim, webDefinition("plain"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "checked", taskDefinition: checked, desiredCount: 1 });
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "plain", taskDefinition: unchecked, desiredCount: 1 });
    // The first check runs one interval (5 s) after the container starts.
    await sim.advanceClock(6_000);
    expect((await describe(sim, "checked")).deployments[0].rolloutState).toBe("COMPLETED");
    expect((await serviceTasks(sim, "checked"))[0].healthStatus).toBe("HEALTHY");
    const plain = await describe(sim, "plain");
    expect(plain.runningCount).toBe(1);
    expect(plain.deployments[0].rolloutState).toBe("IN_PROGRESS");
    await sim.advanceClock(60_000);
    expect((await describe(sim, "plain")).deployments[0].rolloutState).toBe("COMPLETED");
  });

  it("replaces tasks whose container health checks fail, after the grace period", async () => {
    sim = await newSim();
    const td = await register(sim, withHealthCheck({ ECS_SIM_HEALTH: "UNHEALTHY" }));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 1, healthCheckGracePeriodSeconds: 30 });
    await sim.advanceClock(20_000);
    const [task] = await serviceTasks(sim, "web");
    expect(task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "UNHEALTHY" });
    await sim.advanceClock(15_000);
    const stopped = (await serviceTasks(sim, "web", "default", "STOPPED")).find((t) => t.taskArn === task.taskArn);
    expect(stopped).toMatchObject({ stopCode: "ServiceSchedulerInitiated", stoppedReason: "Task failed container health checks" });
    const id = task.taskArn.split("/").pop();
    expect((await describe(sim, "web")).events.map((e: any) => e.message)).toContain(`(service web) (task ${id}) failed container health checks.`);
    // A replacement is on its way.
    await advanceUntil(sim, async () => (await serviceTasks(sim, "web")).some((t) => t.taskArn !== task.taskArn));
  });

  it("reports image pull failures as tasks it was unable to place", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web", { ECS_SIM_PULL_ERROR: "true" }));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 1 });
    await sim.advanceClock(1_000);
    const messages: string[] = (await describe(sim, "web")).events.map((e: any) => e.message);
    expect(messages).toContain(
      "(service web) was unable to place a task. Reason: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/busybox:latest: not found",
    );
  });

  it("lists services by their Service Connect namespace", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", {
      ...SERVICE_BASE,
      serviceName: "a",
      taskDefinition: td,
      serviceConnectConfiguration: { enabled: true, namespace: "arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-abc" },
    });
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "b", taskDefinition: td });
    const res = await ok(sim, "ListServicesByNamespace", { namespace: "ns-abc" });
    expect(res.serviceArns).toEqual(["arn:aws:ecs:us-east-1:000000000000:service/default/a"]);
    expect((await ok(sim, "ListServicesByNamespace", { namespace: "other" })).serviceArns).toEqual([]);
  });

  it("starts clean after a simulator reset", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 2 });
    await sim.advanceClock(2_000);
    await sim.reset();
    await ok(sim, "CreateCluster", { clusterName: "default" });
    const td2 = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td2, desiredCount: 1 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 1);
    expect((await describe(sim, "web")).events.filter((e: any) => e.message.includes("has started"))).toHaveLength(1);
  });
});
