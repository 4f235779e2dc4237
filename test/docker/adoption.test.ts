import {
  DescribeTasksCommand,
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Messages } from "../../src/errors/messages.js";
import { createDockerClient } from "../../src/runtime/docker/index.js";
import { CLI, startCli, type CliProcess } from "../helpers/cli-process.js";
import { AWSVPC, ecsClient } from "../helpers/sim.js";
import { detectDocker, ensureTestImage, requireDocker, TEST_IMAGE } from "./helpers.js";

/**
 * kill -9 of a Docker-runtime simulator with --state-dir, then a restart on the directory: the
 * running containers of persisted tasks are adopted (same containers, metadata still answering),
 * a container whose task the state does not know is removed, and a task whose container vanished
 * while the simulator was down stops with a reason.
 */
const available = await detectDocker();
const docker = createDockerClient();
const dir = mkdtempSync(join(tmpdir(), "ecs-sim-adopt-"));
const stateKey = createHash("sha256").update(resolve(dir)).digest("hex").slice(0, 12);
const children: CliProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  if (!available) return;
  // Containers of a state dir outlive the simulator by design: the test removes its own.
  const filters = JSON.stringify({ label: [`ecs-sim.state=${stateKey}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}, 60_000);

function start(): CliProcess {
  const sim = startCli(["--port", "0", "--runtime", "docker", "--quota-profile", "unlimited", "--seed", "31", "--state-dir", dir, "--log-level", "warn"]);
  children.push(sim);
  return sim;
}

/** What a container gets from its metadata endpoint, asked from inside. */
async function metadataSeenBy(containerId: string): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: ["sh", "-c", 'wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task"'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  return new Promise<string>((done) => {
    let out = "";
    stream.on("data", (d: Buffer) => (out += d.toString("utf8")));
    stream.on("end", () => done(out));
  });
}

const waitOpts = (client: ECSClient) => ({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });

describe.runIf(!available && requireDocker)("container adoption (required)", () => {
  it("has a Docker engine", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers");
  });
});

describe.skipIf(!available || !existsSync(CLI))("Docker containers across kill -9 and restart with --state-dir", () => {
  it("adopts running containers, removes unknown ones and stops tasks whose containers vanished", async () => {
    await ensureTestImage(docker);
    const first = start();
    const endpoint1 = await first.ready;
    const ecs1 = ecsClient(endpoint1);
    await ecs1.send(new CreateClusterCommand({}));
    const td = await ecs1.send(
      new RegisterTaskDefinitionCommand({
        family: "adopt",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        taskRoleArn: "arn:aws:iam::000000000000:role/app",
        containerDefinitions: [{ name: "app", image: TEST_IMAGE, essential: true, command: ["sleep", "600"], stopTimeout: 1 }],
      }),
    );
    const run = await ecs1.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, count: 2, launchType: "FARGATE", networkConfiguration: AWSVPC as never }),
    );
    const [kept, lost] = run.tasks!.map((t) => t.taskArn!) as [string, string];
    // And a host-mode task on a simulated instance, which runs in a namespace of its own.
    const added = await fetch(`${endpoint1}/_sim/container-instances`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cluster: "default", instanceType: "m5.large" }),
    });
    expect(added.status).toBe(200);
    const hostTd = await ecs1.send(
      new RegisterTaskDefinitionCommand({
        family: "adopt-host",
        networkMode: "host",
        containerDefinitions: [
          { name: "web", image: TEST_IMAGE, memory: 64, command: ["httpd", "-f", "-p", "8080"], portMappings: [{ containerPort: 8080, hostPort: 8080 }], stopTimeout: 1 },
        ],
      }),
    );
    const onInstance = (await ecs1.send(new RunTaskCommand({ taskDefinition: hostTd.taskDefinition!.taskDefinitionArn!, launchType: "EC2" }))).tasks![0]!.taskArn!;
    await waitUntilTasksRunning(waitOpts(ecs1), { cluster: "default", tasks: [kept, lost, onInstance] });
    const before = (await ecs1.send(new DescribeTasksCommand({ cluster: "default", tasks: [kept, lost] }))).tasks!;
    const keptId = before.find((t) => t.taskArn === kept)!.containers![0]!.runtimeId!;
    const lostId = before.find((t) => t.taskArn === lost)!.containers![0]!.runtimeId!;
    ecs1.destroy();

    first.child.kill("SIGKILL");
    await first.exited;
    // While the simulator is down: one task's container vanishes, and a stranger appears.
    await docker.getContainer(lostId).remove({ force: true });
    const stranger = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ["sleep", "600"],
      Labels: { "ecs-sim.instance": "gone.1.x", "ecs-sim.state": stateKey, "ecs-sim.task-arn": `${kept.slice(0, kept.lastIndexOf("/"))}/unknown` },
    });

    const second = start();
    const endpoint = await second.ready;
    const ecs = ecsClient(endpoint);
    try {
      // Adopted: the same container, still running, and its metadata endpoint answers again.
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: [kept] }))).tasks!;
      expect(task!.lastStatus).toBe("RUNNING");
      expect(task!.containers![0]!.runtimeId).toBe(keptId);
      expect((await docker.getContainer(keptId).inspect()).State.Running).toBe(true);
      expect(await metadataSeenBy(keptId)).toContain(kept);

      // The instance's task keeps its host port in DescribeTasks, answers from its own namespace,
      // and is still reached on the port this machine published.
      const [hostTask] = (await ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: [onInstance] }))).tasks!;
      expect(hostTask!.lastStatus).toBe("RUNNING");
      expect(hostTask!.containers![0]!.networkBindings).toEqual([{ bindIP: "0.0.0.0", containerPort: 8080, hostPort: 8080, protocol: "tcp" }]);
      expect(await metadataSeenBy(hostTask!.containers![0]!.runtimeId!)).toContain(onInstance);
      const ports = (await (await fetch(`${endpoint}/_sim/tasks/${onInstance.split("/").pop()}/ports`)).json()) as { containers: { ports: { url: string }[] }[] };
      expect(ports.containers[0]!.ports[0]).toMatchObject({ containerPort: 8080, hostPort: 8080 });
      // busybox httpd serving / (no index there): any HTTP answer shows the server is reached.
      expect((await fetch(ports.containers[0]!.ports[0]!.url)).status).toBe(404);

      // The stranger is gone; the task that lost its container stops with a reason.
      await expect(docker.getContainer(stranger.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await waitUntilTasksStopped(waitOpts(ecs), { cluster: "default", tasks: [lost] });
      const [stopped] = (await ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: [lost] }))).tasks!;
      expect(stopped!.stopCode).toBe("InfrastructureHealth");
      expect(stopped!.stoppedReason).toBe(Messages.containersGoneAtRestart);

      // The adopted task is fully under control: its container gets SIGTERM, then (sleep as PID 1
      // ignores it) SIGKILL after stopTimeout, and the exit code comes back through the event watch.
      await ecs.send(new StopTaskCommand({ cluster: "default", task: kept }));
      await waitUntilTasksStopped(waitOpts(ecs), { cluster: "default", tasks: [kept] });
      const [after] = (await ecs.send(new DescribeTasksCommand({ cluster: "default", tasks: [kept] }))).tasks!;
      expect(after!.containers![0]!.exitCode).toBe(137);
    } finally {
      ecs.destroy();
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 180_000);
});
