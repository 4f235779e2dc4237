import {
  CreateClusterCommand,
  DescribeTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { createDockerClient, LABEL_INSTANCE } from "../../src/runtime/docker/index.js";
import { AWSVPC, ecsClient } from "../helpers/sim.js";
import { detectDocker, ensureTestImage, requireDocker, TEST_IMAGE } from "./helpers.js";

async function addInstance(s: RunningSimulator): Promise<void> {
  const res = await s.simulator.app.inject({
    method: "POST",
    url: "/_sim/container-instances",
    payload: { cluster: "default", instanceType: "m5.xlarge" },
  });
  if (res.statusCode !== 200) throw new Error(`adding a container instance failed: ${res.body}`);
}

/**
 * Issue 3's acceptance run, end to end through the ECS API: real containers, the metadata and
 * credentials endpoints seen from inside, exit codes, SIGTERM/SIGKILL, pull failures, awslogs
 * output through GetLogEvents, and nothing left behind after close().
 */
const available = await detectDocker();

describe.runIf(!available && requireDocker)("Docker end to end (required)", () => {
  it("has a Docker engine", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

describe.skipIf(!available)("Docker end to end through the ECS API", () => {
  let sim: RunningSimulator;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  let families = 0;
  const awslogs = (prefix: string) => ({
    logDriver: "awslogs" as const,
    options: { "awslogs-group": "/ecs/e2e", "awslogs-region": "us-east-1", "awslogs-stream-prefix": prefix, "awslogs-create-group": "true" },
  });

  /** Resolves when the task satisfies `predicate`, from the simulator's own events (no polling). */
  function waitFor(arn: string, predicate: (t: Task) => boolean, timeoutMs = 60_000): Promise<Task> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting on ${arn}`));
      }, timeoutMs);
      const off = sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
        if (e.task.taskArn === arn && predicate(e.task)) {
          clearTimeout(timer);
          off();
          resolve(e.task);
        }
      });
    });
  }
  const stopped = (arn: string) => waitFor(arn, (t) => t.lastStatus === "STOPPED");

  async function run(containerDefinitions: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        // One family per task: back-to-back registrations of one family would meet the
        // simulated per-family contention window, as they would on AWS.
        family: `e2e-${++families}`,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        executionRoleArn: "arn:aws:iam::000000000000:role/exec",
        taskRoleArn: "arn:aws:iam::000000000000:role/app",
        containerDefinitions: containerDefinitions as never,
        ...extra,
      }),
    );
    const res = await ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, networkConfiguration: AWSVPC as never }),
    );
    expect(res.failures).toEqual([]);
    return res.tasks![0]!.taskArn!;
  }

  async function logLines(prefix: string, container: string, arn: string): Promise<string[]> {
    const taskId = arn.split("/").pop()!;
    const out = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/ecs/e2e", logStreamName: `${prefix}/${container}/${taskId}`, startFromHead: true }),
    );
    return (out.events ?? []).map((e) => e.message!);
  }

  const envFile = join(mkdtempSync(join(tmpdir(), "ecs-sim-env-")), "app.env");
  const ENV_FILE_ARN = "arn:aws:s3:::config-bucket/app.env";

  beforeAll(async () => {
    await ensureTestImage(createDockerClient());
    writeFileSync(envFile, "# from S3, locally\nGREETING=hello from an env file\n");
    sim = await startSimulator({
      defaultLaunchType: "FARGATE",
      runtime: "docker",
      quotas: { profile: "established" },
      docker: { environmentFiles: { [ENV_FILE_ARN]: envFile } },
    });
    ecs = ecsClient(sim.endpoint);
    await ecs.send(new CreateClusterCommand({}));
    // Bridge and host mode tasks run on the EC2 launch type, which needs a container instance.
    await addInstance(sim);
    logs = new CloudWatchLogsClient({ endpoint: sim.endpoint, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  }, 120_000);

  afterAll(async () => {
    ecs?.destroy();
    logs?.destroy();
    await sim?.close();
  }, 120_000);

  it("runs an app and a dependent sidecar; the app reads metadata and credentials; its exit code reaches DescribeTasks", async () => {
    const app = [
      "set -e",
      'echo "task=$(wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task")"',
      'echo "v3=$(wget -qO- "$ECS_CONTAINER_METADATA_URI/task")"',
      'echo "creds=$(wget -qO- "$AWS_CONTAINER_CREDENTIALS_FULL_URI")"',
      // Code in the task reaches the simulator's ECS API through AWS_ENDPOINT_URL.
      'echo "api=$(wget -qO- --header "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters" --header "Content-Type: application/x-amz-json-1.1" --post-data "{}" "$AWS_ENDPOINT_URL")"',
      "sleep 1",
      "exit 7",
    ].join("\n");
    const arn = await run([
      { name: "app", image: TEST_IMAGE, essential: true, command: ["sh", "-c", app], logConfiguration: awslogs("e2e") },
      {
        name: "sidecar",
        image: TEST_IMAGE,
        essential: false,
        command: ["sh", "-c", "sleep 300"],
        stopTimeout: 2,
        dependsOn: [{ containerName: "app", condition: "START" }],
        logConfiguration: awslogs("e2e"),
      },
    ]);
    const task = await stopped(arn);
    expect(task.stopCode).toBe("EssentialContainerExited");
    const described = (await ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks![0]!;
    expect(described.containers!.find((c) => c.name === "app")!.exitCode).toBe(7);
    expect(described.containers!.find((c) => c.name === "sidecar")!.lastStatus).toBe("STOPPED");
    const ip = described.attachments![0]!.details!.find((d) => d.name === "privateIPv4Address")!.value!;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const lines = await logLines("e2e", "app", arn);
    const meta = JSON.parse(lines.find((l) => l.startsWith("task="))!.slice(5));
    expect(meta.TaskARN).toBe(arn);
    expect(JSON.parse(lines.find((l) => l.startsWith("v3="))!.slice(3)).TaskARN).toBe(arn);
    expect(meta.Family).toBe(described.taskDefinitionArn!.split("/")[1]!.split(":")[0]);
    const creds = JSON.parse(lines.find((l) => l.startsWith("creds="))!.slice(6));
    expect(Object.keys(creds).sort()).toEqual(["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"]);
    expect(creds.RoleArn).toBe("arn:aws:iam::000000000000:role/app");
    const api = JSON.parse(lines.find((l) => l.startsWith("api="))!.slice(4));
    expect(api.clusterArns).toContain("arn:aws:ecs:us-east-1:000000000000:cluster/default");
  }, 90_000);

  it("StopTask delivers SIGTERM that a trap sees, then the task ends UserInitiated", async () => {
    const script = "trap 'echo got-sigterm; exit 0' TERM; echo ready; while true; do sleep 0.1; done";
    const arn = await run([{ name: "app", image: TEST_IMAGE, command: ["sh", "-c", script], logConfiguration: awslogs("trap") }]);
    await waitFor(arn, (t) => t.lastStatus === "RUNNING");
    await ecs.send(new StopTaskCommand({ task: arn }));
    const task = await stopped(arn);
    expect(task.stopCode).toBe("UserInitiated");
    expect(task.stoppedReason).toBe("Task stopped by user");
    expect(task.containers![0]!.exitCode).toBe(0);
    expect(await logLines("trap", "app", arn)).toContain("got-sigterm");
  }, 90_000);

  it("an on-demand spot interruption delivers SIGTERM to the container, ends SpotInterruption, frees the vCPU and is evented", async () => {
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "default", capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategy: [] }));
    const script = "trap 'echo got-sigterm; exit 0' TERM; while true; do sleep 0.1; done";
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `e2e-spot-${++families}`,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "1024",
        memory: "2048",
        executionRoleArn: "arn:aws:iam::000000000000:role/exec",
        containerDefinitions: [{ name: "app", image: TEST_IMAGE, command: ["sh", "-c", script], logConfiguration: awslogs("spot") }],
      }),
    );
    const started = await ecs.send(
      new RunTaskCommand({
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        networkConfiguration: AWSVPC as never,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      }),
    );
    const arn = started.tasks![0]!.taskArn!;
    expect(started.tasks![0]!.capacityProviderName).toBe("FARGATE_SPOT");
    await waitFor(arn, (t) => t.lastStatus === "RUNNING");
    const usage = async () => (await sim.simulator.app.inject({ method: "GET", url: "/_sim/usage" })).json();
    const spotInUse = (u: { vcpu: { vcpuClass: string; inUse: number }[] }) => u.vcpu.find((v) => v.vcpuClass === "spot")?.inUse ?? 0;
    expect(spotInUse(await usage())).toBe(1);
    const res = await sim.simulator.app.inject({ method: "POST", url: "/_sim/spot/interruptions", payload: { taskArns: [arn] } });
    expect(res.json().interrupted.map((i: { taskArn: string }) => i.taskArn)).toEqual([arn]);
    const task = await stopped(arn);
    expect(task.stopCode).toBe("SpotInterruption");
    expect(task.stoppedReason).toBe("Your Spot Task was interrupted.");
    expect(task.containers![0]!.exitCode).toBe(0);
    expect(await logLines("spot", "app", arn)).toContain("got-sigterm");
    expect(spotInUse(await usage())).toBe(0);
    const events = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/events?detailType=ECS%20Task%20State%20Change" })).json().events;
    const warning = events.find((e: { detail: { taskArn: string; desiredStatus: string } }) => e.detail.taskArn === arn && e.detail.desiredStatus === "STOPPED");
    expect(warning.detail).toMatchObject({ stopCode: "SpotInterruption", stoppedReason: "Your Spot Task was interrupted." });
  }, 90_000);

  it("bridge mode reports the instance's host port, publishes the mapping on 127.0.0.1 (GET /_sim/tasks/<id>/ports); environment files reach the container", async () => {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `e2e-bridge-${++families}`,
        networkMode: "bridge",
        containerDefinitions: [
          {
            name: "web",
            image: TEST_IMAGE,
            memory: 64,
            stopTimeout: 2,
            command: ["sh", "-c", 'mkdir -p /www && echo "$GREETING" > /www/index.html && httpd -f -p 8080 -h /www'],
            portMappings: [{ containerPort: 8080 }],
            environmentFiles: [{ value: ENV_FILE_ARN, type: "s3" }],
            // Readiness comes from the container's own health check, not from polling it.
            healthCheck: { command: ["CMD-SHELL", "wget -qO- http://127.0.0.1:8080/ || exit 1"], interval: 5, timeout: 2, retries: 3 },
          },
        ],
      }),
    );
    const started = await ecs.send(new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, launchType: "EC2" }));
    const arn = started.tasks![0]!.taskArn!;
    const task = await waitFor(arn, (t) => t.lastStatus === "RUNNING" && t.healthStatus === "HEALTHY");
    // As on AWS: the first port of the instance's dynamic range; this machine's port is elsewhere.
    expect(task.containers![0]!.networkBindings).toEqual([{ bindIP: "0.0.0.0", containerPort: 8080, hostPort: 49153, protocol: "tcp" }]);
    const ports = (await sim.simulator.app.inject({ method: "GET", url: `/_sim/tasks/${arn.split("/").pop()}/ports` })).json();
    const [published] = ports.containers[0].ports;
    expect(published).toMatchObject({ containerPort: 8080, hostPort: 49153, localAddress: "127.0.0.1" });
    const body = await (await fetch(published.url)).text();
    expect(body.trim()).toBe("hello from an env file");
    await ecs.send(new StopTaskCommand({ task: arn }));
    await stopped(arn);
  }, 90_000);

  it("SIGKILLs a container that ignores SIGTERM after stopTimeout (exit 137)", async () => {
    const script = "trap '' TERM; while true; do sleep 0.1; done";
    const arn = await run([{ name: "app", image: TEST_IMAGE, command: ["sh", "-c", script], stopTimeout: 2 }]);
    await waitFor(arn, (t) => t.lastStatus === "RUNNING");
    await ecs.send(new StopTaskCommand({ task: arn }));
    const task = await stopped(arn);
    expect(task.containers![0]!.exitCode).toBe(137);
  }, 90_000);

  it("ends a task whose image cannot be had in TaskFailedToStart with CannotPullContainerError", async () => {
    const arn = await run([{ name: "app", image: "ecs-sim-test/does-not-exist:latest" }]);
    const task = await stopped(arn);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(task.containers![0]!.exitCode).toBeUndefined();
  }, 90_000);

  it("fails a task whose awslogs group does not exist before creating any container, with Fargate's ResourceInitializationError", async () => {
    const group = "/ecs/e2e-missing";
    const arn = await run([
      {
        name: "app",
        image: TEST_IMAGE,
        command: ["true"],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "x" } },
      },
    ]);
    const task = await stopped(arn);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toBe(
      "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1",
    );
    expect(task.containers![0]!.reason).toContain(group);
    expect(task.startedAt).toBeUndefined();
    const docker = createDockerClient();
    const created = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`ecs-sim.task-arn=${arn}`] }) });
    expect(created.filter((c) => c.Labels["ecs-sim.role"] === "container")).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups).toEqual([]);
  }, 90_000);

  it("with docker.keepContainers, a stopped task's containers stay for debugging", async () => {
    const keeping = await startSimulator({ defaultLaunchType: "FARGATE", runtime: "docker", quotas: { profile: "unlimited" }, docker: { keepContainers: true } });
    const docker = createDockerClient();
    const kept = async (arn: string) =>
      (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`ecs-sim.task-arn=${arn}`] }) })).filter(
        (c) => c.Labels["ecs-sim.role"] === "container",
      );
    let arn = "";
    try {
      const k = ecsClient(keeping.endpoint);
      await k.send(new CreateClusterCommand({}));
      await addInstance(keeping);
      const td = await k.send(
        new RegisterTaskDefinitionCommand({ family: "keep", networkMode: "bridge", containerDefinitions: [{ name: "app", image: TEST_IMAGE, memory: 64, command: ["true"] }] }),
      );
      const stoppedTask = new Promise<void>((resolve) =>
        keeping.simulator.ctx.bus.subscribe("task.changed", (e) => {
          if (e.task.taskArn === arn && e.task.lastStatus === "STOPPED") resolve();
        }),
      );
      arn = (await k.send(new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, launchType: "EC2" }))).tasks![0]!.taskArn!;
      await stoppedTask;
      k.destroy();
      await keeping.close();
      expect((await kept(arn)).length).toBe(1);
    } finally {
      await keeping.close().catch(() => undefined);
      for (const c of await kept(arn)) await docker.getContainer(c.Id).remove({ force: true });
    }
  }, 90_000);

  it("leaves no labelled container or network behind after close()", async () => {
    const script = "sleep 300";
    const arn = await run([{ name: "app", image: TEST_IMAGE, command: ["sh", "-c", script], stopTimeout: 2 }]);
    await waitFor(arn, (t) => t.lastStatus === "RUNNING");
    const docker = createDockerClient();
    const mine = async () => {
      const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_INSTANCE] }) });
      return containers.filter((c) => c.Labels["ecs-sim.task-arn"]?.startsWith(`arn:aws:ecs:us-east-1:000000000000:task/default/`) && c.Labels["ecs-sim.task-arn"] === arn);
    };
    expect((await mine()).length).toBeGreaterThan(0);
    await sim.close();
    expect(await mine()).toEqual([]);
    sim = await startSimulator({ defaultLaunchType: "FARGATE", runtime: "docker" });
  }, 120_000);
});
