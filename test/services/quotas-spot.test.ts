import { afterEach, describe as suite, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { advanceUntil, AWSVPC, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

const VCPU_EVENT = "(service web) was unable to place a task. Reason: You\u2019ve reached the limit on the number of vCPUs you can run concurrently";

async function admin(method: "PUT" | "DELETE", url: string, body?: unknown) {
  const res = await sim.simulator.app.inject({ method, url, ...(body ? { payload: body as object } : {}) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

function byProvider(tasks: any[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) out[t.capacityProviderName] = (out[t.capacityProviderName] ?? 0) + 1;
  return out;
}

suite("services and the vCPU quota", () => {
  it("records the exact unable-to-place event and recovers by itself when the quota is raised", async () => {
    // 0.5 on-demand vCPU: two 0.25-vCPU tasks fit, the other two do not.
    sim = await newSim({ quotas: { profile: "unlimited", overrides: { vcpu: { onDemand: 0.5 } } } });
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 4 });
    await sim.advanceClock(10_000);
    const blocked = await describe(sim, "web");
    expect(blocked.runningCount).toBe(2);
    const messages: string[] = blocked.events.map((e: any) => e.message);
    expect(messages).toContain(VCPU_EVENT);
    // The deployment waits; it does not fail, and the retries back off instead of spinning.
    expect(blocked.deployments[0].rolloutState).toBe("IN_PROGRESS");
    expect(messages.filter((m) => m === VCPU_EVENT).length).toBeLessThanOrEqual(3);

    const placement = sim.simulator.events.list().filter((e) => (e.detail as any).eventName === "SERVICE_TASK_PLACEMENT_FAILURE");
    expect(placement.length).toBeGreaterThan(0);
    expect(placement[0]!.detail).toMatchObject({
      eventType: "ERROR",
      reason: "RESOURCE:FARGATE",
      capacityProviderArns: ["arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE"],
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/default",
    });
    expect(placement[0]!["detail-type"]).toBe("ECS Service Action");
    expect(placement[0]!.resources).toEqual(["arn:aws:ecs:us-east-1:000000000000:service/default/web"]);

    await admin("PUT", "/_sim/quotas", { vcpu: { onDemand: 8 } });
    await advanceUntil(sim, async () => {
      const s = await describe(sim, "web");
      return s.runningCount === 4 && s.events[0].message === "(service web) has reached a steady state.";
    }, 120_000);
    const after = await describe(sim, "web");
    expect(after.deployments).toEqual([expect.objectContaining({ rolloutState: "COMPLETED", runningCount: 4 })]);
  });

  it("logs throttled launches and retries them", async () => {
    sim = await newSim({
      quotas: { profile: "unlimited", overrides: { buckets: { "fargate-launch-on-demand": { burst: 1, sustained: 0.1 } } } },
    });
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 3 });
    await sim.advanceClock(1_000);
    const s = await describe(sim, "web");
    expect(s.events.map((e: any) => e.message)).toContain("(service web) operations are being throttled. Will try again later.");
    expect(sim.simulator.events.list().some((e) => (e.detail as any).eventName === "ECS_OPERATION_THROTTLED")).toBe(true);
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 3, 300_000, 5_000);
  });
});

suite("services on Fargate Spot", () => {
  it("replaces interrupted tasks on FARGATE_SPOT and gets back to the desired count", async () => {
    sim = await newSim({}, { capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", {
      cluster: "default",
      serviceName: "web",
      taskDefinition: td,
      desiredCount: 3,
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 3);
    const first = await serviceTasks(sim, "web");
    expect(byProvider(first)).toEqual({ FARGATE_SPOT: 3 });
    for (const t of first) sim.simulator.domain.tasks.stopBySystem(t.taskArn, "SpotInterruption", "Your Spot Task was interrupted.");

    await advanceUntil(sim, async () => {
      const tasks = await serviceTasks(sim, "web");
      return tasks.length === 3 && tasks.every((t) => t.lastStatus === "RUNNING" && !first.some((f) => f.taskArn === t.taskArn));
    });
    const replaced = await serviceTasks(sim, "web");
    expect(byProvider(replaced)).toEqual({ FARGATE_SPOT: 3 });
    const interrupted = await serviceTasks(sim, "web", "default", "STOPPED");
    expect(interrupted.map((t) => [t.stopCode, t.stoppedReason])).toEqual(
      Array(3).fill(["SpotInterruption", "Your Spot Task was interrupted."]),
    );
    const s = await describe(sim, "web");
    expect(s.runningCount).toBe(3);
    // Interruptions are not the tasks' fault.
    expect(s.deployments[0].failedTasks).toBe(0);
    expect(s.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    expect(s.launchType).toBeUndefined();
  });

  it("keeps a strategy's base and weights as it scales and as spot tasks are replaced", async () => {
    sim = await newSim({}, { capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", {
      cluster: "default",
      serviceName: "web",
      taskDefinition: td,
      desiredCount: 5,
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
    });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 5);
    expect(byProvider(await serviceTasks(sim, "web"))).toEqual({ FARGATE: 2, FARGATE_SPOT: 3 });

    await ok(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 9 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 9);
    const nine = await serviceTasks(sim, "web");
    expect(byProvider(nine)).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });

    for (const t of nine.filter((x) => x.capacityProviderName === "FARGATE_SPOT").slice(0, 4)) {
      sim.simulator.domain.tasks.stopBySystem(t.taskArn, "SpotInterruption", "Your Spot Task was interrupted.");
    }
    await advanceUntil(sim, async () => {
      const tasks = await serviceTasks(sim, "web");
      return tasks.length === 9 && tasks.every((t) => t.lastStatus === "RUNNING");
    });
    expect(byProvider(await serviceTasks(sim, "web"))).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
  });

  it("waits for spot capacity instead of falling back to on-demand", async () => {
    sim = await newSim({}, { capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    await admin("PUT", "/_sim/capacity", { FARGATE_SPOT: { probability: 1 } });
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", {
      cluster: "default",
      serviceName: "web",
      taskDefinition: td,
      desiredCount: 2,
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    await sim.advanceClock(10_000);
    const s = await describe(sim, "web");
    expect(s.runningCount).toBe(0);
    expect(s.events.map((e: any) => e.message)).toContain(
      "(service web) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.",
    );
    const failure = sim.simulator.events.list().find((e) => (e.detail as any).eventName === "SERVICE_TASK_PLACEMENT_FAILURE");
    expect(failure!.detail).toMatchObject({
      reason: "RESOURCE:FARGATE",
      capacityProviderArns: ["arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE_SPOT"],
    });
    await admin("DELETE", "/_sim/capacity");
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 2, 120_000);
    expect(byProvider(await serviceTasks(sim, "web"))).toEqual({ FARGATE_SPOT: 2 });
  });
});
