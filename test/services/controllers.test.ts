import { afterEach, describe as suite, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { advanceUntil, AWSVPC, call, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

const LB = { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/1234567890abcdef", containerName: "app", containerPort: 8080 };

suite("CODE_DEPLOY services", () => {
  it("run an initial task set and refuse what only CodeDeploy may change, with the exact messages", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    const created = await ok(sim, "CreateService", {
      ...SERVICE_BASE,
      serviceName: "bg",
      taskDefinition: v1,
      desiredCount: 2,
      deploymentController: { type: "CODE_DEPLOY" },
      loadBalancers: [LB],
    });
    expect(created.service.deploymentController).toEqual({ type: "CODE_DEPLOY" });
    expect(created.service.taskSets).toHaveLength(1);
    expect(created.service.taskSets[0]).toMatchObject({ status: "PRIMARY", taskDefinition: v1, scale: { value: 100, unit: "PERCENT" }, computedDesiredCount: 2 });
    expect(created.service.taskSets[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(created.service.taskSets[0].taskSetArn).toBe(
      `arn:aws:ecs:us-east-1:000000000000:task-set/default/bg/${created.service.taskSets[0].id}`,
    );

    await advanceUntil(sim, async () => (await describe(sim, "bg")).runningCount === 2);
    expect((await describe(sim, "bg")).taskSets[0]).toMatchObject({ runningCount: 2, stabilityStatus: "STEADY_STATE" });

    const td = await call(sim, "UpdateService", { cluster: "default", service: "bg", taskDefinition: v2 });
    expect(td.status).toBe(400);
    expect(td.body).toEqual({
      __type: "InvalidParameterException",
      message: "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
    });
    const force = await call(sim, "UpdateService", { cluster: "default", service: "bg", forceNewDeployment: true });
    expect(force.body).toEqual({
      __type: "InvalidParameterException",
      message: "Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
    });
    // What may change: desired count, grace period, deployment configuration.
    const scaled = await ok(sim, "UpdateService", { cluster: "default", service: "bg", desiredCount: 3, healthCheckGracePeriodSeconds: 30 });
    expect(scaled.service.desiredCount).toBe(3);
    await advanceUntil(sim, async () => (await describe(sim, "bg")).runningCount === 3);
  });

  it("switch traffic between task sets the way CodeDeploy does (create, shift primary, delete)", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await ok(sim, "CreateService", {
      ...SERVICE_BASE,
      serviceName: "bg",
      taskDefinition: v1,
      desiredCount: 2,
      deploymentController: { type: "CODE_DEPLOY" },
    });
    const green = (await ok(sim, "CreateTaskSet", {
      cluster: "default",
      service: "bg",
      taskDefinition: v2,
      launchType: "FARGATE",
      networkConfiguration: AWSVPC,
      scale: { value: 50, unit: "PERCENT" },
      externalId: "d-ABC123",
    })).taskSet;
    expect(green).toMatchObject({ status: "ACTIVE", taskDefinition: v2, computedDesiredCount: 1, externalId: "d-ABC123" });
    await advanceUntil(sim, async () => (await describe(sim, "bg")).runningCount === 3);

    await ok(sim, "UpdateTaskSet", { cluster: "default", service: "bg", taskSet: green.taskSetArn, scale: { value: 100, unit: "PERCENT" } });
    const primary = await ok(sim, "UpdateServicePrimaryTaskSet", { cluster: "default", service: "bg", primaryTaskSet: green.taskSetArn });
    expect(primary.taskSet.status).toBe("PRIMARY");
    const afterSwitch = await describe(sim, "bg");
    expect(afterSwitch.taskDefinition).toBe(v2);
    const blue = afterSwitch.taskSets.find((t: any) => t.taskDefinition === v1);
    expect(blue.status).toBe("ACTIVE");

    const refused = await call(sim, "DeleteTaskSet", { cluster: "default", service: "bg", taskSet: blue.id });
    expect(refused.body.__type).toBe("InvalidParameterException");
    const draining = await ok(sim, "DeleteTaskSet", { cluster: "default", service: "bg", taskSet: blue.id, force: true });
    expect(draining.taskSet.status).toBe("DRAINING");
    await advanceUntil(sim, async () => {
      const s = await describe(sim, "bg");
      return s.taskSets.length === 1 && s.runningCount === 2;
    });
    expect((await serviceTasks(sim, "bg")).map((t) => t.taskDefinitionArn)).toEqual([v2, v2]);
    const described = await ok(sim, "DescribeTaskSets", { cluster: "default", service: "bg", taskSets: [green.taskSetArn, blue.taskSetArn], include: ["TAGS"] });
    expect(described.taskSets.map((t: any) => t.id)).toEqual([green.id]);
    expect(described.failures).toEqual([{ arn: blue.taskSetArn, reason: "MISSING" }]);
    expect((await call(sim, "UpdateTaskSet", { cluster: "default", service: "bg", taskSet: "ecs-svc/1", scale: { value: 1 } })).body.__type).toBe(
      "TaskSetNotFoundException",
    );
  });
});

suite("EXTERNAL services", () => {
  it("are driven by the caller's task sets, up to five", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const created = await ok(sim, "CreateService", {
      cluster: "default",
      serviceName: "ext",
      desiredCount: 2,
      deploymentController: { type: "EXTERNAL" },
    });
    expect(created.service.taskSets).toEqual([]);
    expect(created.service.deployments).toEqual([]);
    expect(created.service.taskDefinition).toBeUndefined();
    const sets: any[] = [];
    for (let i = 0; i < 5; i++) {
      sets.push(
        (await ok(sim, "CreateTaskSet", {
          cluster: "default",
          service: "ext",
          taskDefinition: v1,
          launchType: "FARGATE",
          networkConfiguration: AWSVPC,
          scale: { value: i === 0 ? 100 : 0, unit: "PERCENT" },
        })).taskSet,
      );
    }
    expect(sets[0].status).toBe("PRIMARY");
    const sixth = await call(sim, "CreateTaskSet", { cluster: "default", service: "ext", taskDefinition: v1, networkConfiguration: AWSVPC });
    expect(sixth.body).toEqual({
      __type: "InvalidParameterException",
      message: "5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.",
    });
    await advanceUntil(sim, async () => (await describe(sim, "ext")).runningCount === 2);
    const tasks = await serviceTasks(sim, "ext");
    expect(tasks.every((t) => t.startedBy === sets[0].id && t.group === "service:ext")).toBe(true);
    expect((await call(sim, "UpdateService", { cluster: "default", service: "ext", taskDefinition: v1 })).body.__type).toBe(
      "InvalidParameterException",
    );
    await ok(sim, "UpdateService", { cluster: "default", service: "ext", desiredCount: 0 });
    await ok(sim, "DeleteService", { cluster: "default", service: "ext" });
    await advanceUntil(sim, async () => (await describe(sim, "ext")).status === "INACTIVE");
  });

  it("task-set operations are refused on ECS-controller services", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: v1, desiredCount: 0 });
    const res = await call(sim, "CreateTaskSet", { cluster: "default", service: "web", taskDefinition: v1, networkConfiguration: AWSVPC });
    expect(res.body.__type).toBe("InvalidParameterException");
    const deployments = await ok(sim, "ListServiceDeployments", { cluster: "default", service: "web" });
    expect(deployments.serviceDeployments).toHaveLength(1);
  });
});
