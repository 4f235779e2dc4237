import { CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type ECSClient, type Task } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { createDockerClient } from "../../src/runtime/docker/index.js";
import { Messages } from "../../src/errors/messages.js";
import { AWSVPC, ecsClient } from "../helpers/sim.js";
import { detectDocker, ensureTestImage, requireDocker, TEST_IMAGE } from "./helpers.js";

/**
 * The pause container holds an awsvpc task's network namespace (its address, its metadata
 * forwarder). Killing it from outside must stop the task, not leave it RUNNING with dead endpoints.
 */
const available = await detectDocker();

describe.runIf(!available && requireDocker)("network holder watch (required)", () => {
  it("has a Docker engine", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers");
  });
});

describe.skipIf(!available)("a task whose network holder dies", () => {
  let sim: RunningSimulator;
  let ecs: ECSClient;
  const docker = createDockerClient();

  function waitFor(arn: string, predicate: (t: Task) => boolean): Promise<Task> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting on ${arn}`));
      }, 60_000);
      const off = sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
        if (e.task.taskArn === arn && predicate(e.task)) {
          clearTimeout(timer);
          off();
          resolve(e.task);
        }
      });
    });
  }

  beforeAll(async () => {
    await ensureTestImage(docker);
    sim = await startSimulator({ defaultLaunchType: "FARGATE", runtime: "docker", quotas: { profile: "unlimited" } });
    ecs = ecsClient(sim.endpoint);
  }, 120_000);

  afterAll(async () => {
    ecs?.destroy();
    await sim?.close();
  }, 120_000);

  it("stops with InfrastructureHealth and the network-lost reason when its pause container is killed", async () => {
    await ecs.send(new CreateClusterCommand({}));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "pause-watch",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "app", image: TEST_IMAGE, essential: true, command: ["sleep", "300"], stopTimeout: 2 }],
      }),
    );
    const res = await ecs.send(new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, networkConfiguration: AWSVPC as never }));
    const arn = res.tasks![0]!.taskArn!;
    const running = waitFor(arn, (t) => t.lastStatus === "RUNNING");
    const stopped = waitFor(arn, (t) => t.lastStatus === "STOPPED");
    await running;

    // The holder is the container whose namespace the app joined (it may come from the warm pool,
    // whose holders carry no task label).
    const [app] = await docker.listContainers({
      filters: JSON.stringify({ label: [`ecs-sim.task-arn=${arn}`, "ecs-sim.role=container"] }),
    });
    const mode = (await docker.getContainer(app!.Id).inspect()).HostConfig.NetworkMode ?? "";
    expect(mode, "the task has a pause container").toMatch(/^container:/);
    await docker.getContainer(mode.slice("container:".length)).kill({ signal: "SIGKILL" });

    await stopped;
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: [arn] }))).tasks!;
    expect(task!.lastStatus).toBe("STOPPED");
    expect(task!.stopCode).toBe("InfrastructureHealth");
    expect(task!.stoppedReason).toBe(Messages.networkLost);
    // The app container was stopped by the simulator, not left running in a dead namespace.
    const left = await docker.listContainers({ filters: JSON.stringify({ label: [`ecs-sim.task-arn=${arn}`] }) });
    expect(left).toEqual([]);
  }, 120_000);
});
