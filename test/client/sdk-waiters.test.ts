import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { AWSVPC, ecsClient, FARGATE_DEF } from "../helpers/sim.js";

/**
 * The AWS SDK for JavaScript v3 against a listening simulator on the real clock with the fast
 * timing profile: what a user's test suite does. The waiters poll with their own delays.
 */
let sim: RunningSimulator;
let ecs: ECSClient;
beforeAll(async () => {
  sim = await startSimulator({ defaultLaunchType: "FARGATE", runtime: "simulated", quotas: { profile: "established" } });
  ecs = ecsClient(sim.endpoint);
});
afterAll(async () => {
  ecs.destroy();
  await sim.close();
});

const waitOpts = () => ({ client: ecs, maxWaitTime: 20, minDelay: 1, maxDelay: 1 });

describe("@aws-sdk/client-ecs against ecs-sim", () => {
  it("creates a cluster, registers, runs to RUNNING and stops to STOPPED with the waiters", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "sdk" }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand(FARGATE_DEF as never));
    expect(td.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    const run = await ecs.send(
      new RunTaskCommand({ cluster: "sdk", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: AWSVPC as never }),
    );
    expect(run.failures).toEqual([]);
    const arn = run.tasks![0]!.taskArn!;
    const running = await waitUntilTasksRunning(waitOpts(), { cluster: "sdk", tasks: [arn] });
    expect(running.state).toBe("SUCCESS");
    await ecs.send(new StopTaskCommand({ cluster: "sdk", task: arn }));
    const stopped = await waitUntilTasksStopped(waitOpts(), { cluster: "sdk", tasks: [arn] });
    expect(stopped.state).toBe("SUCCESS");
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: "sdk", tasks: [arn] }))).tasks![0]!;
    expect(task.stopCode).toBe("UserInitiated");
    expect(task.stoppedReason).toBe("Task stopped by user");
    expect(task.stoppedAt).toBeInstanceOf(Date);
  });

  it("surfaces the invalid-pair ClientException with its exact message", async () => {
    const err = await ecs
      .send(new RegisterTaskDefinitionCommand({ ...(FARGATE_DEF as Record<string, unknown>), cpu: "512", memory: "8192" } as never))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ECSServiceException);
    expect((err as ECSServiceException).name).toBe("ClientException");
    expect((err as ECSServiceException).message).toBe(
      "No Fargate configuration exists for given values: 512 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.",
    );
    expect((err as ECSServiceException).$metadata.httpStatusCode).toBe(400);
    expect((err as ECSServiceException).$metadata.requestId).toBeTruthy();
  });

  it("fails waitUntilTasksRunning on a task that stops before running (STOPPED acceptor)", async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: "sdk",
        taskDefinition: "web",
        networkConfiguration: AWSVPC as never,
        overrides: { containerOverrides: [{ name: "app", environment: [{ name: "ECS_SIM_PULL_ERROR", value: "1" }] }] },
      }),
    );
    const arn = run.tasks![0]!.taskArn!;
    const result = await waitUntilTasksRunning(waitOpts(), { cluster: "sdk", tasks: [arn] }).catch((e: Error) => e);
    expect(result).toBeInstanceOf(Error);
    expect(String((result as Error).message)).toContain("FAILURE");
  });

  it("fails waitUntilTasksRunning on an unknown task (MISSING acceptor)", async () => {
    const result = await waitUntilTasksRunning(waitOpts(), { cluster: "sdk", tasks: ["0123456789abcdef0123456789abcdef"] }).catch(
      (e: Error) => e,
    );
    expect(String((result as Error).message)).toContain("FAILURE");
  });

  it("a short container reaches STOPPED with EssentialContainerExited and exit 0", async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: "sdk",
        taskDefinition: "web",
        networkConfiguration: AWSVPC as never,
        overrides: { containerOverrides: [{ name: "app", environment: [{ name: "ECS_SIM_RUN_MS", value: "300" }] }] },
      }),
    );
    const arn = run.tasks![0]!.taskArn!;
    await waitUntilTasksStopped(waitOpts(), { cluster: "sdk", tasks: [arn] });
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: "sdk", tasks: [arn] }))).tasks![0]!;
    expect(task.stopCode).toBe("EssentialContainerExited");
    expect(task.stoppedReason).toBe("Essential container in task exited");
    expect(task.containers![0]!.exitCode).toBe(0);
    expect(task.startedAt).toBeInstanceOf(Date);
  });
});
