import { afterEach, describe as suite, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { advanceUntil, AWSVPC, call, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

const stable = (s: any) => s.deployments.length === 1 && s.runningCount === s.desiredCount && s.pendingCount === 0;

suite("task scale-in protection", () => {
  it("a protected task survives a scale-in; the service stops unprotected ones instead", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 3 });
    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    const tasks = await serviceTasks(sim, "web");
    const keep = tasks[1].taskArn;
    const res = await ok(sim, "UpdateTaskProtection", { cluster: "default", tasks: [keep], protectionEnabled: true, expiresInMinutes: 60 });
    expect(res.failures).toEqual([]);
    expect(res.protectedTasks).toEqual([{ taskArn: keep, protectionEnabled: true, expirationDate: expect.any(Number) }]);

    await ok(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 1 });
    await advanceUntil(sim, async () => (await serviceTasks(sim, "web")).length === 1);
    expect((await serviceTasks(sim, "web")).map((t) => t.taskArn)).toEqual([keep]);
  });

  it("scale-in waits for protection to expire", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: td, desiredCount: 1 });
    await advanceUntil(sim, async () => stable(await describe(sim, "web")));
    const [task] = await serviceTasks(sim, "web");
    await ok(sim, "UpdateTaskProtection", { cluster: "default", tasks: [task.taskArn], protectionEnabled: true, expiresInMinutes: 2 });
    await ok(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 0 });
    await sim.advanceClock(60_000);
    expect(await serviceTasks(sim, "web")).toHaveLength(1);
    const got = await ok(sim, "GetTaskProtection", { cluster: "default", tasks: [task.taskArn] });
    expect(got.protectedTasks[0].protectionEnabled).toBe(true);
    await advanceUntil(sim, async () => (await serviceTasks(sim, "web")).length === 0, 120_000);
    expect((await ok(sim, "GetTaskProtection", { cluster: "default" })).protectedTasks).toEqual([]);
  });

  it("reports standalone tasks as TASK_NOT_VALID and unknown ones as MISSING, and validates the period", async () => {
    sim = await newSim();
    await ok(sim, "RegisterTaskDefinition", webDefinition("job"));
    const run = await ok(sim, "RunTask", { cluster: "default", taskDefinition: "job", networkConfiguration: AWSVPC });
    const arn = run.tasks[0].taskArn;
    const res = await ok(sim, "UpdateTaskProtection", { cluster: "default", tasks: [arn, "0123456789abcdef0123456789abcdef"], protectionEnabled: true });
    expect(res.protectedTasks).toEqual([]);
    expect(res.failures.map((f: any) => f.reason)).toEqual(["TASK_NOT_VALID", "MISSING"]);
    const bad = await call(sim, "UpdateTaskProtection", { cluster: "default", tasks: [arn], protectionEnabled: true, expiresInMinutes: 3000 });
    expect(bad.status).toBe(400);
    expect(bad.body.__type).toBe("InvalidParameterException");
  });
});
