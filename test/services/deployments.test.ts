import { afterEach, describe as suite, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Messages } from "../../src/errors/messages.js";
import { advanceUntil, call, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

const stable = (s: any) => s.deployments.length === 1 && s.runningCount === s.desiredCount;

async function serviceAtSteadyState(name: string, td: string, extra: Record<string, unknown> = {}) {
  await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: name, taskDefinition: td, desiredCount: 2, ...extra });
  await advanceUntil(sim, async () => (await describe(sim, name)).events.some((e: any) => e.message === Messages.svcSteadyState(name)));
}

suite("rolling deployments", () => {
  it("starts new tasks before stopping old ones at 100/200 and ends with one deployment and a steady state", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await serviceAtSteadyState("web", v1);
    const before = await describe(sim, "web");
    const oldId = before.deployments[0].id;

    // The order of what happened to tasks, from the scheduler's own task events.
    const timeline: { arn: string; td: string; what: "RUNNING" | "STOP_REQUESTED" }[] = [];
    const seenStop = new Set<string>();
    sim.simulator.ctx.bus.subscribe("task.changed", ({ task }) => {
      if (task.lastStatus === "RUNNING" && task.desiredStatus === "RUNNING" && !timeline.some((t) => t.arn === task.taskArn && t.what === "RUNNING")) {
        timeline.push({ arn: task.taskArn!, td: task.taskDefinitionArn!, what: "RUNNING" });
      }
      if (task.desiredStatus === "STOPPED" && !seenStop.has(task.taskArn!)) {
        seenStop.add(task.taskArn!);
        timeline.push({ arn: task.taskArn!, td: task.taskDefinitionArn!, what: "STOP_REQUESTED" });
      }
    });

    const updated = await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: v2 });
    const deployments = updated.service.deployments;
    expect(deployments.map((d: any) => [d.status, d.taskDefinition, d.rolloutState, d.runningCount])).toEqual([
      ["PRIMARY", v2, "IN_PROGRESS", 0],
      ["ACTIVE", v1, "COMPLETED", 2],
    ]);
    expect(deployments[1].id).toBe(oldId);
    expect(deployments[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(deployments[0].rolloutStateReason).toBe(`ECS deployment ${deployments[0].id} in progress.`);
    expect(updated.service.taskDefinition).toBe(v2);

    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    const after = await describe(sim, "web");
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments[0]).toMatchObject({ id: deployments[0].id, status: "PRIMARY", taskDefinition: v2, rolloutState: "COMPLETED", runningCount: 2 });
    expect(after.deployments[0].rolloutStateReason).toBe(`ECS deployment ${deployments[0].id} completed.`);

    // Every new task was RUNNING before the first old task was asked to stop (minimumHealthyPercent 100).
    const firstOldStop = timeline.findIndex((t) => t.what === "STOP_REQUESTED" && t.td === v1);
    const newRunning = timeline.map((t, i) => ({ ...t, i })).filter((t) => t.what === "RUNNING" && t.td === v2);
    expect(newRunning).toHaveLength(2);
    expect(firstOldStop).toBeGreaterThan(Math.max(...newRunning.map((t) => t.i)));

    // The old tasks were stopped by the scheduler with the reference's stop code and reason.
    const stopped = await serviceTasks(sim, "web", "default", "STOPPED");
    expect(stopped).toHaveLength(2);
    for (const t of stopped) {
      expect(t.taskDefinitionArn).toBe(v1);
      expect(t.stopCode).toBe("ServiceSchedulerInitiated");
      expect(t.stoppedReason).toBe(`Scaling activity initiated by (deployment ${oldId})`);
      expect(t.group).toBe("service:web");
      expect(t.startedBy).toBe(oldId);
    }
    const running = await serviceTasks(sim, "web");
    expect(running.map((t) => t.taskDefinitionArn)).toEqual([v2, v2]);

    // Events: newest first, exact formats.
    const messages: string[] = after.events.map((e: any) => e.message);
    expect(messages[0]).toBe("(service web) has reached a steady state.");
    expect(messages).toContain(`(service web) (deployment ${deployments[0].id}) deployment completed.`);
    expect(messages.some((m) => /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
    expect(messages.some((m) => /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
    const times = after.events.map((e: any) => e.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("with minimumHealthyPercent 0 and maximumPercent 100 stops old tasks first", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await serviceAtSteadyState("web", v1, { deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 } });
    await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: v2 });
    await sim.advanceClock(1);
    const tasks = await serviceTasks(sim, "web");
    // Both old tasks are on their way out and no new one may start until they are gone.
    expect(tasks.filter((t) => t.taskDefinitionArn === v2)).toHaveLength(0);
    const stopping = await serviceTasks(sim, "web", "default", "STOPPED");
    expect(stopping.filter((t) => t.taskDefinitionArn === v1)).toHaveLength(2);
    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    expect((await serviceTasks(sim, "web")).map((t) => t.taskDefinitionArn)).toEqual([v2, v2]);
  });

  it("logs the unable-to-stop-or-start event when min and max leave no room", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await serviceAtSteadyState("web", v1, { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } });
    await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: v2 });
    await sim.advanceClock(5_000);
    const s = await describe(sim, "web");
    expect(s.deployments).toHaveLength(2);
    expect(s.events.map((e: any) => e.message)).toContain(
      "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
    );
  });

  it("scales out and in with the scheduler's stop code and reason", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    await serviceAtSteadyState("web", v1);
    const depId = (await describe(sim, "web")).deployments[0].id;
    await ok(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 4 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 4);
    await ok(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 1 });
    await advanceUntil(sim, async () => {
      const s = await describe(sim, "web");
      return s.runningCount === 1 && s.events[0].message === "(service web) has reached a steady state.";
    });
    const s = await describe(sim, "web");
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments[0].id).toBe(depId);
    expect(s.events.map((e: any) => e.message).some((m: string) => /has stopped 3 running tasks: (\(task [0-9a-f]{32}\) ?){3}\.$/.test(m))).toBe(true);
    const stopped = await serviceTasks(sim, "web", "default", "STOPPED");
    expect(stopped).toHaveLength(3);
    expect(new Set(stopped.map((t) => `${t.stopCode} ${t.stoppedReason}`))).toEqual(
      new Set([`ServiceSchedulerInitiated Scaling activity initiated by (deployment ${depId})`]),
    );
  });

  it("replaces tasks that stop for any reason", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    await serviceAtSteadyState("web", v1);
    const [victim] = await serviceTasks(sim, "web");
    await ok(sim, "StopTask", { cluster: "default", task: victim.taskArn, reason: "testing" });
    await advanceUntil(sim, async () => {
      const tasks = await serviceTasks(sim, "web");
      return tasks.length === 2 && tasks.every((t) => t.lastStatus === "RUNNING" && t.taskArn !== victim.taskArn);
    });
    const s = await describe(sim, "web");
    expect(s.runningCount).toBe(2);
    expect(s.deployments[0].failedTasks).toBe(0);
  });
});

suite("deployment circuit breaker", () => {
  it("fails a broken revision, rolls back to the last completed deployment and becomes stable on it", async () => {
    sim = await newSim();
    const good = await register(sim, webDefinition("web"));
    const broken = await register(sim, webDefinition("web", { ECS_SIM_RUN_MS: "100", ECS_SIM_EXIT_CODE: "1" }));
    await serviceAtSteadyState("web", good, {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const completedId = (await describe(sim, "web")).deployments[0].id;
    const updated = await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: broken });
    const brokenId = updated.service.deployments[0].id;

    // Fast timing: the broken tasks exit within milliseconds, so look closely.
    await advanceUntil(sim, async () => (await describe(sim, "web")).deployments.some((d: any) => d.id === brokenId && d.rolloutState === "FAILED"), 10_000, 5);
    const failing = await describe(sim, "web");
    const failed = failing.deployments.find((d: any) => d.id === brokenId);
    expect(failed.status).toBe("ACTIVE");
    expect(failed.rolloutStateReason).toBe("ECS deployment circuit breaker: tasks failed to start.");
    expect(failed.failedTasks).toBeGreaterThanOrEqual(3);
    const rollback = failing.deployments[0];
    expect(rollback.status).toBe("PRIMARY");
    expect(rollback.taskDefinition).toBe(good);
    expect(rollback.id).not.toBe(brokenId);
    expect(rollback.rolloutStateReason).toBe(`ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`);
    expect(failing.taskDefinition).toBe(good);
    const messages: string[] = failing.events.map((e: any) => e.message);
    expect(messages).toContain("(service web) deployment failed: tasks failed to start.");
    expect(messages).toContain(`(service web) rolling back to deployment ${completedId}.`);

    // The broken tasks ran and exited 1.
    const stopped = await serviceTasks(sim, "web", "default", "STOPPED");
    const brokenTasks = stopped.filter((t) => t.taskDefinitionArn === broken);
    expect(brokenTasks.length).toBeGreaterThanOrEqual(3);
    expect(brokenTasks.every((t) => t.containers[0].exitCode === 1 && t.stopCode === "EssentialContainerExited")).toBe(true);

    // Stable again on the good revision: what waitUntilServicesStable needs, and the old tasks never left.
    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    const after = await describe(sim, "web");
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments[0]).toMatchObject({ id: rollback.id, taskDefinition: good, rolloutState: "COMPLETED" });
    // The deploy action's check: its deployment id is gone after stabilization.
    expect(after.deployments.some((d: any) => d.id === brokenId)).toBe(false);
    expect((await serviceTasks(sim, "web")).every((t) => t.taskDefinitionArn === good)).toBe(true);

    // The service-deployment view of the same story.
    const list = await ok(sim, "ListServiceDeployments", { cluster: "default", service: "web" });
    expect(list.serviceDeployments.map((d: any) => d.status)).toEqual(["ROLLBACK_SUCCESSFUL", "SUCCESSFUL"]);
    const described = await ok(sim, "DescribeServiceDeployments", { serviceDeploymentArns: [list.serviceDeployments[0].serviceDeploymentArn] });
    const sd = described.serviceDeployments[0];
    expect(sd.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(sd.deploymentCircuitBreaker).toMatchObject({ status: "TRIGGERED", threshold: 3 });
    expect(sd.rollback.reason).toBe(`ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`);
    const revisions = await ok(sim, "DescribeServiceRevisions", { serviceRevisionArns: [sd.targetServiceRevision.arn, sd.rollback.serviceRevisionArn] });
    expect(revisions.serviceRevisions.map((r: any) => r.taskDefinition)).toEqual([broken, good]);

    // EventBridge deployment events reached the event stream.
    const deploymentEvents = sim.simulator.events.list().filter((e) => e["detail-type"] === "ECS Deployment State Change");
    expect(deploymentEvents.map((e) => (e.detail as any).eventName)).toEqual([
      "SERVICE_DEPLOYMENT_IN_PROGRESS",
      "SERVICE_DEPLOYMENT_COMPLETED",
      "SERVICE_DEPLOYMENT_IN_PROGRESS",
      "SERVICE_DEPLOYMENT_FAILED",
      "SERVICE_DEPLOYMENT_IN_PROGRESS",
      "SERVICE_DEPLOYMENT_COMPLETED",
    ]);
    const failedEvent = deploymentEvents[3]!.detail as any;
    expect(failedEvent).toMatchObject({ eventType: "ERROR", deploymentId: brokenId, reason: "ECS deployment circuit breaker: task failed to start." });
    expect((deploymentEvents[4]!.detail as any).reason).toBe(`ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`);
  });

  it("without rollback leaves the failed deployment PRIMARY and launches nothing more", async () => {
    sim = await newSim();
    const good = await register(sim, webDefinition("web"));
    const broken = await register(sim, webDefinition("web", { ECS_SIM_RUN_MS: "100", ECS_SIM_EXIT_CODE: "1" }));
    await serviceAtSteadyState("web", good, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: broken });
    await advanceUntil(sim, async () => (await describe(sim, "web")).deployments[0].rolloutState === "FAILED");
    await sim.advanceClock(60_000);
    const s = await describe(sim, "web");
    expect(s.deployments.map((d: any) => [d.status, d.rolloutState])).toEqual([
      ["PRIMARY", "FAILED"],
      ["ACTIVE", "COMPLETED"],
    ]);
    expect(s.runningCount).toBe(2);
    const failedTasks = s.deployments[0].failedTasks;
    await sim.advanceClock(60_000);
    expect((await describe(sim, "web")).deployments[0].failedTasks).toBe(failedTasks);
    expect((await serviceTasks(sim, "web")).every((t) => t.taskDefinitionArn === good)).toBe(true);
  });

  it("a service whose tasks keep failing backs off and says it cannot start tasks consistently", async () => {
    sim = await newSim();
    const broken = await register(sim, webDefinition("web", { ECS_SIM_RUN_MS: "100", ECS_SIM_EXIT_CODE: "1" }));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: broken, desiredCount: 1 });
    await advanceUntil(sim, async () =>
      (await describe(sim, "web")).events.some((e: any) => e.message === "(service web) is unable to consistently start tasks successfully."),
    );
    // Back-off: launches thin out instead of continuing every few milliseconds.
    const started = async () => (await describe(sim, "web")).events.filter((e: any) => e.message.includes("has started")).length;
    const at = await started();
    await sim.advanceClock(5_000);
    expect(await started()).toBe(at);
    await sim.advanceClock(60_000);
    expect(await started()).toBeGreaterThan(at);
  });
});

suite("StopServiceDeployment", () => {
  it("rolls an in-progress deployment back to the last completed one", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await serviceAtSteadyState("web", v1);
    await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: v2 });
    const [inProgress] = (await ok(sim, "ListServiceDeployments", { cluster: "default", service: "web", status: ["IN_PROGRESS"] })).serviceDeployments;
    expect(inProgress.targetServiceRevisionArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-revision\/default\/web\/\d+$/);
    expect(inProgress.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-deployment\/default\/web\/[A-Z0-9]{8}-[A-Za-z0-9]{12}$/);
    await ok(sim, "StopServiceDeployment", { serviceDeploymentArn: inProgress.serviceDeploymentArn });
    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    expect((await describe(sim, "web")).taskDefinition).toBe(v1);
    const again = await call(sim, "StopServiceDeployment", { serviceDeploymentArn: inProgress.serviceDeploymentArn });
    expect(again.status).toBe(400);
    expect(again.body.__type).toBe("ConflictException");
    const missing = await call(sim, "StopServiceDeployment", {
      serviceDeploymentArn: "arn:aws:ecs:us-east-1:000000000000:service-deployment/default/web/NOPE",
    });
    expect(missing.body.__type).toBe("ServiceDeploymentNotFoundException");
  });
});
