import { CreateLogGroupCommand, DescribeLogGroupsCommand, GetLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { admin, ok, useVirtualSim, virtualSim } from "../helpers/sim.js";
import { awslogs, container, describeTask, logsClient, runTask } from "./helpers.js";

const MISSING_GROUP =
  "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1";

describe("awslogs log groups, as Fargate treats them", () => {
  let sim: RunningSimulator;
  let logs: CloudWatchLogsClient;
  useVirtualSim((s) => {
    sim = s;
    logs = logsClient(s);
  });
  beforeEach(async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
  });
  afterAll(() => logs?.destroy());

  const groupNames = async () => ((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName);

  it("fails the task to start when the group does not exist and awslogs-create-group is not true, and creates nothing", async () => {
    const { arn } = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/missing") }]);
    await sim.advanceClock(1_000);
    const task = await describeTask(sim, arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", desiredStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedReason: MISSING_GROUP });
    expect(task.startedAt).toBeUndefined();
    expect(container(task, "app").reason).toContain("/ecs/missing");
    expect(await groupNames()).toEqual([]);
  });

  it("names the container whose group is missing when others are fine", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/present" }));
    const { arn } = await runTask(sim, [
      { name: "app", logConfiguration: awslogs("/ecs/present") },
      { name: "sidecar", logConfiguration: awslogs("/ecs/absent") },
    ]);
    await sim.advanceClock(1_000);
    const task = await describeTask(sim, arn);
    expect(task.stoppedReason).toBe(MISSING_GROUP);
    expect(container(task, "sidecar").reason).toContain("/ecs/absent");
    expect(container(task, "app").reason).toBeUndefined();
    expect(await groupNames()).toEqual(["/ecs/present"]);
  });

  it("a group that one container of the task may create serves the others that name it", async () => {
    const { arn } = await runTask(sim, [
      { name: "app", logConfiguration: awslogs("/ecs/shared", "ecs", { "awslogs-create-group": "true" }) },
      { name: "sidecar", logConfiguration: awslogs("/ecs/shared") },
    ]);
    await sim.advanceClock(1_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
    expect(await groupNames()).toEqual(["/ecs/shared"]);
  });

  it('creates the group with awslogs-create-group "true" and writes to <prefix>/<container>/<task id>', async () => {
    const { arn, id } = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/created", "web", { "awslogs-create-group": "true" }) }]);
    await sim.advanceClock(1_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
    expect(await groupNames()).toEqual(["/ecs/created"]);
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: "/ecs/created", logStreamName: `web/app/${id}`, startFromHead: true }));
    expect(out.events?.length).toBeGreaterThan(0);
  });

  it("runs and writes into a group that exists", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/existing" }));
    const { arn, id } = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/existing") }]);
    await sim.advanceClock(1_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: "/ecs/existing", logStreamName: `ecs/app/${id}`, startFromHead: true }));
    expect(out.events?.length).toBeGreaterThan(0);
  });

  it("gives a container without a log configuration no log group; its output is only in the admin API", async () => {
    const { arn, id } = await runTask(sim, [{ name: "app" }]);
    await sim.advanceClock(1_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
    expect(await groupNames()).toEqual([]);
    const captured = await admin(sim, "GET", `/_sim/tasks/${id}/logs`);
    expect(captured.body.containers[0].events[0].message).toContain('simulated container "app"');
  });
});

describe("autoCreateLogGroups", () => {
  it("creates a missing awslogs group instead of failing the task", async () => {
    const sim = await virtualSim({ autoCreateLogGroups: true });
    const logs = logsClient(sim);
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      const { arn } = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/auto") }]);
      await sim.advanceClock(1_000);
      expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
      expect(((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName)).toEqual(["/ecs/auto"]);
    } finally {
      logs.destroy();
      await sim.close();
    }
  });
});
