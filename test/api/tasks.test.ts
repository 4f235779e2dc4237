import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, call, FARGATE_DEF, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim(
  (s) => (sim = s),
  {},
  async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" 
  },
);
  await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
});

async function run(extra: Record<string, unknown> = {}) {
  return ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, ...extra });
}
async function describe1(arn: string) {
  return (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [arn] })).tasks[0];
}

describe("RunTask", () => {
  it("returns PROVISIONING tasks with the shape clients read", async () => {
    const res = await run({ startedBy: "airflow-abc", tags: [{ key: "k", value: "v" }] });
    expect(res.failures).toEqual([]);
    const t = res.tasks[0];
    expect(t.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/c\/[0-9a-f]{32}$/);
    expect(t).toMatchObject({
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      launchType: "FARGATE",
      platformVersion: "1.4.0",
      platformFamily: "Linux",
      group: "family:web",
      startedBy: "airflow-abc",
      cpu: "256",
      memory: "512",
      version: 1,
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/c",
      taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
    });
    expect(t.attachments[0]).toMatchObject({ type: "ElasticNetworkInterface", status: "PRECREATED", details: [{ name: "subnetId", value: "subnet-12345678" }] });
    expect(t.containers[0]).toMatchObject({ name: "app", image: "busybox:latest", lastStatus: "PENDING", cpu: "0" });
    expect(typeof t.createdAt).toBe("number");
    expect(t).not.toHaveProperty("capacityProviderName");
  });

  it("is describable right after RunTask returns (read-after-write)", async () => {
    const t = (await run()).tasks[0];
    expect((await describe1(t.taskArn)).taskArn).toBe(t.taskArn);
  });

  it("walks the Fargate lifecycle with coherent timestamps and a version bump on each change", async () => {
    const t = (await run()).tasks[0];
    const seen: string[] = [];
    sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
      if (e.task.taskArn === t.taskArn && seen.at(-1) !== e.task.lastStatus) seen.push(e.task.lastStatus!);
    });
    await sim.advanceClock(1000);
    const running = await describe1(t.taskArn);
    expect(running.lastStatus).toBe("RUNNING");
    expect(running.connectivity).toBe("CONNECTED");
    expect(running.containers[0].lastStatus).toBe("RUNNING");
    const eni = running.attachments[0];
    expect(eni.status).toBe("ATTACHED");
    expect(eni.details.map((d: any) => d.name)).toEqual(["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"]);
    await ok(sim, "StopTask", { cluster: "c", task: t.taskArn });
    await sim.advanceClock(1000);
    const stopped = await describe1(t.taskArn);
    expect(seen).toEqual(["PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]);
    expect(stopped.version).toBeGreaterThan(running.version);
    const order = ["createdAt", "pullStartedAt", "pullStoppedAt", "startedAt", "stoppingAt", "executionStoppedAt", "stoppedAt"].map((k) => stopped[k]);
    for (const v of order) expect(typeof v).toBe("number");
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("runs up to 10 tasks per call and refuses more", async () => {
    expect((await run({ count: 10 })).tasks).toHaveLength(10);
    const res = await call(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, count: 11 });
    expect(res.body.__type).toBe("InvalidParameterException");
    expect((await call(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, count: 0 })).status).toBe(400);
  });

  it("requires a network configuration for awsvpc, with the exact message", async () => {
    const res = await call(sim, "RunTask", { cluster: "c", taskDefinition: "web" });
    expect(res.body).toEqual({
      __type: "InvalidParameterException",
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
  });

  it("refuses unknown and INACTIVE task definitions with the reference's messages", async () => {
    expect((await call(sim, "RunTask", { cluster: "c", taskDefinition: "web:9", networkConfiguration: AWSVPC })).body).toEqual({
      __type: "ClientException",
      message: "TaskDefinition not found.",
    });
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: "web:1" });
    expect((await call(sim, "RunTask", { cluster: "c", taskDefinition: "web:1", networkConfiguration: AWSVPC })).body).toEqual({
      __type: "InvalidParameterException",
      message: "TaskDefinition is inactive",
    });
  });

  it("refuses a launch type together with a strategy, and unassociated providers", async () => {
    const both = await call(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "web",
      networkConfiguration: AWSVPC,
      launchType: "FARGATE",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    expect(both.body).toEqual({
      __type: "InvalidParameterException",
      message: "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
    });
    const unassociated = await call(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "web",
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    expect(unassociated.body.message).toBe(
      "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
    );
    // An empty strategy next to a launch type is treated as absent (Prefect sends that).
    expect((await run({ launchType: "FARGATE", capacityProviderStrategy: [] })).tasks).toHaveLength(1);
  });

  it("uses the cluster's default strategy and records the capacity provider", async () => {
    await ok(sim, "PutClusterCapacityProviders", {
      cluster: "c",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    const t = (await run()).tasks[0];
    expect(t.capacityProviderName).toBe("FARGATE_SPOT");
    expect(t.launchType).toBe("FARGATE");
  });

  it("refuses FARGATE for a definition that is not Fargate-compatible", async () => {
    await ok(sim, "RegisterTaskDefinition", { family: "ec2", containerDefinitions: [{ name: "a", image: "b", memory: 128 }] });
    const res = await call(sim, "RunTask", { cluster: "c", taskDefinition: "ec2", launchType: "FARGATE" });
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: "Task definition does not support launch_type FARGATE." });
  });

  it("applies and validates overrides", async () => {
    const t = (
      await run({
        overrides: {
          cpu: "512",
          memory: "1024",
          containerOverrides: [{ name: "app", command: ["echo", "hi"], environment: [{ name: "A", value: "1" }] }],
        },
      })
    ).tasks[0];
    expect([t.cpu, t.memory]).toEqual(["512", "1024"]);
    expect(t.overrides.containerOverrides[0].command).toEqual(["echo", "hi"]);
    const badPair = await call(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, overrides: { cpu: "256", memory: "8192" } });
    expect(badPair.status).toBe(400);
    expect(badPair.body.message).toContain("No Fargate configuration exists for given values: 256 CPU, 8192 memory.");
    const badName = await call(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "web",
      networkConfiguration: AWSVPC,
      overrides: { containerOverrides: [{ name: "nope" }] },
    });
    expect(badName.body.__type).toBe("InvalidParameterException");
    const huge = await call(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "web",
      networkConfiguration: AWSVPC,
      overrides: { containerOverrides: [{ name: "app", environment: [{ name: "X", value: "v".repeat(9000) }] }] },
    });
    expect(huge.body.__type).toBe("InvalidParameterException");
  });

  it("makes clientToken idempotent and answers ConflictException for a different request", async () => {
    const first = await run({ clientToken: "tok-1" });
    const again = await run({ clientToken: "tok-1" });
    expect(again.tasks.map((t: any) => t.taskArn)).toEqual(first.tasks.map((t: any) => t.taskArn));
    const conflict = await call(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, clientToken: "tok-1", count: 2 });
    expect(conflict.body.__type).toBe("ConflictException");
    expect(conflict.body.resourceIds).toEqual([first.tasks[0].taskArn]);
  });

  it("propagates task definition tags when asked", async () => {
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, tags: [{ key: "team", value: "data" }] });
    const t = (await run({ taskDefinition: "web:2", propagateTags: "TASK_DEFINITION", tags: [{ key: "run", value: "1" }] })).tasks[0];
    const described = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn], include: ["TAGS"] })).tasks[0];
    expect(described.tags).toEqual([{ key: "team", value: "data" }, { key: "run", value: "1" }]);
  });

  it("adds ECS managed tags when asked", async () => {
    const t = (await run({ enableECSManagedTags: true })).tasks[0];
    const described = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn], include: ["TAGS"] })).tasks[0];
    expect(described.tags).toEqual([{ key: "aws:ecs:clusterName", value: "c" }]);
  });
});

describe("StopTask, essential exits and retention", () => {
  it("stops with UserInitiated and 'Task stopped by user', SIGTERM exit 143", async () => {
    const t = (await run()).tasks[0];
    await sim.advanceClock(1000);
    const stopping = (await ok(sim, "StopTask", { cluster: "c", task: t.taskArn })).task;
    expect(stopping).toMatchObject({ desiredStatus: "STOPPED", lastStatus: "RUNNING", stopCode: "UserInitiated", stoppedReason: "Task stopped by user" });
    expect(typeof stopping.stoppingAt).toBe("number");
    await sim.advanceClock(1000);
    const stopped = await describe1(t.taskArn);
    expect(stopped.lastStatus).toBe("STOPPED");
    expect(stopped.containers[0].exitCode).toBe(143);
  });

  it("keeps the caller's reason and stops by task id too", async () => {
    const t = (await run()).tasks[0];
    const id = t.taskArn.split("/").pop();
    const res = await ok(sim, "StopTask", { cluster: "c", task: id, reason: "Stopped by Prefect worker" });
    expect(res.task.stoppedReason).toBe("Stopped by Prefect worker");
    await sim.advanceClock(1000);
    expect((await describe1(t.taskArn)).stopCode).toBe("UserInitiated");
  });

  it("answers the exact message for an unknown task", async () => {
    const res = await call(sim, "StopTask", { cluster: "c", task: "0123456789abcdef0123456789abcdef" });
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: "The referenced task was not found." });
  });

  it("kills a container that ignores SIGTERM after stopTimeout with 137", async () => {
    await ok(sim, "RegisterTaskDefinition", {
      ...FARGATE_DEF,
      containerDefinitions: [{ name: "app", image: "x", stopTimeout: 10, environment: [{ name: "ECS_SIM_ON_SIGTERM", value: "ignore" }] }],
    });
    const t = (await run({ taskDefinition: "web:2" })).tasks[0];
    await sim.advanceClock(1000);
    await ok(sim, "StopTask", { cluster: "c", task: t.taskArn });
    await sim.advanceClock(9_000);
    expect((await describe1(t.taskArn)).lastStatus).toBe("STOPPING");
    await sim.advanceClock(2_000);
    const stopped = await describe1(t.taskArn);
    expect(stopped.lastStatus).toBe("STOPPED");
    expect(stopped.containers[0].exitCode).toBe(137);
  });

  it("stops the task when an essential container exits, with its exit code", async () => {
    const t = (
      await run({
        overrides: { containerOverrides: [{ name: "app", environment: [{ name: "ECS_SIM_RUN_MS", value: "1s" }, { name: "ECS_SIM_EXIT_CODE", value: "3" }] }] },
      })
    ).tasks[0];
    await sim.advanceClock(500);
    expect((await describe1(t.taskArn)).lastStatus).toBe("RUNNING");
    await sim.advanceClock(2000);
    const stopped = await describe1(t.taskArn);
    expect(stopped).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
    expect(stopped.containers[0].exitCode).toBe(3);
  });

  it("records a non-essential exit without stopping the task", async () => {
    await ok(sim, "RegisterTaskDefinition", {
      ...FARGATE_DEF,
      containerDefinitions: [
        { name: "app", image: "x" },
        { name: "init", image: "y", essential: false, environment: [{ name: "ECS_SIM_RUN_MS", value: "100" }] },
      ],
    });
    const t = (await run({ taskDefinition: "web:2" })).tasks[0];
    await sim.advanceClock(2000);
    const d = await describe1(t.taskArn);
    expect(d.lastStatus).toBe("RUNNING");
    expect(d.containers.find((c: any) => c.name === "init")).toMatchObject({ lastStatus: "STOPPED", exitCode: 0 });
  });

  it("ends a task whose image cannot be pulled in TaskFailedToStart without exit codes", async () => {
    const t = (await run({ overrides: { containerOverrides: [{ name: "app", environment: [{ name: "ECS_SIM_PULL_ERROR", value: "1" }] }] } })).tasks[0];
    await sim.advanceClock(1000);
    const d = await describe1(t.taskArn);
    expect(d.lastStatus).toBe("STOPPED");
    expect(d.stopCode).toBe("TaskFailedToStart");
    expect(d.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(d.containers[0]).not.toHaveProperty("exitCode");
    expect(d).not.toHaveProperty("startedAt");
  });

  it("keeps STOPPED tasks describable for the retention period, then forgets them", async () => {
    const t = (await run()).tasks[0];
    await ok(sim, "StopTask", { cluster: "c", task: t.taskArn });
    await sim.advanceClock(1000);
    await sim.advanceClock(59 * 60_000);
    expect((await describe1(t.taskArn)).lastStatus).toBe("STOPPED");
    await sim.advanceClock(60_000);
    const gone = await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn] });
    expect(gone.tasks).toEqual([]);
    expect(gone.failures).toEqual([{ arn: t.taskArn, reason: "MISSING" }]);
  });
});

describe("DescribeTasks and ListTasks", () => {
  it("validates the id list and reports MISSING", async () => {
    expect((await call(sim, "DescribeTasks", { cluster: "c", tasks: [] })).body.message).toBe("Tasks cannot be empty.");
    const many = Array.from({ length: 101 }, (_, i) => `t${i}`);
    expect((await call(sim, "DescribeTasks", { cluster: "c", tasks: many })).body.message).toBe("taskIds can have at most 100 items.");
    const res = await ok(sim, "DescribeTasks", { cluster: "c", tasks: ["abc"] });
    expect(res).toEqual({ tasks: [], failures: [{ arn: "arn:aws:ecs:us-east-1:000000000000:task/c/abc", reason: "MISSING" }] });
  });

  it("filters by desiredStatus (default RUNNING), startedBy, family and launch type", async () => {
    const a = (await run({ startedBy: "U" })).tasks[0];
    const b = (await run()).tasks[0];
    await ok(sim, "StopTask", { cluster: "c", task: b.taskArn });
    expect((await ok(sim, "ListTasks", { cluster: "c" })).taskArns).toEqual([a.taskArn]);
    expect((await ok(sim, "ListTasks", { cluster: "c", desiredStatus: "STOPPED" })).taskArns).toEqual([b.taskArn]);
    expect((await ok(sim, "ListTasks", { cluster: "c", desiredStatus: "RUNNING", startedBy: "U" })).taskArns).toEqual([a.taskArn]);
    expect((await ok(sim, "ListTasks", { cluster: "c", startedBy: "other" })).taskArns).toEqual([]);
    expect((await ok(sim, "ListTasks", { cluster: "c", family: "web" })).taskArns).toEqual([a.taskArn]);
    expect((await ok(sim, "ListTasks", { cluster: "c", family: "api" })).taskArns).toEqual([]);
    expect((await ok(sim, "ListTasks", { cluster: "c", launchType: "EC2" })).taskArns).toEqual([]);
    expect((await call(sim, "ListTasks", { cluster: "c", serviceName: "ghost" })).body).toEqual({
      __type: "ServiceNotFoundException",
      message: "Service not found.",
    });
  });

  it("paginates ListTasks", async () => {
    await run({ count: 5 });
    const p1 = await ok(sim, "ListTasks", { cluster: "c", maxResults: 3 });
    expect(p1.taskArns).toHaveLength(3);
    const p2 = await ok(sim, "ListTasks", { cluster: "c", maxResults: 3, nextToken: p1.nextToken });
    expect(p2.taskArns).toHaveLength(2);
    expect(p2.nextToken).toBeUndefined();
  });
});
