/**
 * The Docker runtime through the TaskRuntime interface, against a real engine and the local
 * busybox image. Every wait is on a runtime event or a log line, never a sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { RealClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { Messages } from "../../src/errors/messages.js";
import { LogStore } from "../../src/logs/store.js";
import { handleLogsOperation } from "../../src/logs/operations.js";
import { TaskStartError, type RuntimeTaskSpec } from "../../src/runtime/types.js";
import { DockerRuntime, LABEL_INSTANCE, createDockerClient, newInstanceId, removeLeftovers } from "../../src/runtime/docker/index.js";
import { EventRecorder, TEST_IMAGE, detectDocker, ensureTestImage, requireDocker, taskSpec } from "./helpers.js";

const available = await detectDocker();

describe.runIf(requireDocker && !available)("Docker engine (required)", () => {
  it("answers, because ECS_SIM_REQUIRE_DOCKER=1", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

describe.skipIf(!available)("DockerRuntime", () => {
  const clock = new RealClock();
  const instanceId = newInstanceId("runtime-test");
  const recorder = new EventRecorder();
  const store = new LogStore(clock);
  const local = new LogStore(clock);
  let docker: Docker;
  let runtime: DockerRuntime;
  const live = new Map<string, RuntimeTaskSpec>();

  beforeAll(async () => {
    docker = createDockerClient();
    await ensureTestImage(docker);
    runtime = new DockerRuntime({
      clock,
      logger: silentLogger,
      listener: recorder.listener,
      config: { launchConcurrency: 4, secrets: { values: { "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf": "s3cr3t" } } },
      instanceId,
      simulatorEndpoint: "http://127.0.0.1:1",
      logStore: store,
      localLogStore: local,
      lookupTask: (arn) => (live.has(arn) ? { taskArn: arn, desiredStatus: "RUNNING", lastStatus: "RUNNING" } : undefined),
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    if (!docker) return;
    // Belt and braces: nothing of this instance may survive the suite.
    const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${instanceId}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  }, 60_000);

  async function run(spec: RuntimeTaskSpec) {
    live.set(spec.taskArn, spec);
    await runtime.prepare(spec);
    return runtime.start(spec);
  }

  function waitForLog(group: string, stream: string, text: string, from = store): Promise<void> {
    return new Promise((resolve) => {
      const has = () => from.getStream(group, stream)?.events.some((e) => e.message.includes(text));
      if (has()) return resolve();
      const off = from.subscribe((g, s, e) => {
        if (g === group && s === stream && e.message.includes(text)) {
          off();
          resolve();
        }
      });
    });
  }

  function logText(group: string, stream: string, from = store): string {
    return (from.getStream(group, stream)?.events ?? []).map((e) => e.message).join("\n");
  }

  it("starts an app after its dependencies, serves metadata and credentials, reports the exit code and captures logs", async () => {
    const logConfiguration = {
      logDriver: "awslogs" as const,
      options: { "awslogs-group": "/ecs/dtest", "awslogs-stream-prefix": "ecs", "awslogs-region": "us-east-1" },
    };
    store.createGroup("/ecs/dtest");
    const spec = taskSpec(
      [
        { name: "init", essential: false, command: ["sh", "-c", "echo init-done"], logConfiguration },
        {
          name: "sidecar",
          essential: false,
          command: ["sh", "-c", "echo sidecar-up; exec nc -ll -p 8080 -e echo pong"],
          portMappings: [{ containerPort: 8080, protocol: "tcp" }],
          healthCheck: { command: ["CMD-SHELL", "true"], interval: 1, timeout: 2, retries: 3, startPeriod: 0 },
          logConfiguration,
        },
        {
          name: "app",
          environment: [{ name: "GREETING", value: "hi" }],
          secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf" }],
          dependsOn: [
            { containerName: "init", condition: "SUCCESS" },
            { containerName: "sidecar", condition: "HEALTHY" },
          ],
          command: [
            "sh",
            "-c",
            [
              'echo "greeting=$GREETING secret=$DB_PASSWORD exec=$AWS_EXECUTION_ENV region=$AWS_REGION"',
              'echo "task=$(wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task)"',
              'echo "self=$(wget -qO- $ECS_CONTAINER_METADATA_URI_V4)"',
              'echo "creds=$(wget -qO- $AWS_CONTAINER_CREDENTIALS_FULL_URI)"',
              'echo "sidecar=$(echo ping | nc 127.0.0.1 8080)"',
              "exit 3",
            ].join("; "),
          ],
          logConfiguration,
        },
      ],
      { taskRoleArn: "arn:aws:iam::000000000000:role/app-role", executionRoleArn: "arn:aws:iam::000000000000:role/exec" },
    );

    const result = await run(spec);
    expect(result.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(result.privateIp).not.toBe(spec.privateIp);
    expect(result.containers.map((c) => c.name).sort()).toEqual(["app", "init", "sidecar"]);
    const sidecar = result.containers.find((c) => c.name === "sidecar")!;
    expect(sidecar.networkBindings?.[0]).toMatchObject({ bindIP: "127.0.0.1", containerPort: 8080, protocol: "tcp" });
    expect(sidecar.networkBindings?.[0]?.hostPort).toBeGreaterThan(0);

    const appExit = await recorder.exited(spec.taskArn, "app");
    expect(appExit.exitCode).toBe(3);

    // dependsOn order: init exited (SUCCESS) and sidecar HEALTHY before app started.
    const idx = (pred: Parameters<EventRecorder["indexOf"]>[0]) => recorder.indexOf(pred);
    const appStarted = idx((e) => e.type === "container-started" && e.taskArn === spec.taskArn && e.container.name === "app");
    const initExited = idx((e) => e.type === "container-exited" && e.taskArn === spec.taskArn && e.name === "init");
    const sidecarHealthy = idx((e) => e.type === "container-health" && e.taskArn === spec.taskArn && e.name === "sidecar" && e.status === "HEALTHY");
    expect(initExited).toBeGreaterThanOrEqual(0);
    expect(sidecarHealthy).toBeGreaterThanOrEqual(0);
    expect(appStarted).toBeGreaterThan(initExited);
    expect(appStarted).toBeGreaterThan(sidecarHealthy);
    expect((recorder.events[initExited] as { exitCode?: number }).exitCode).toBe(0);

    // Logs land in the awslogs stream, and the app saw its own task through metadata v4.
    const appStream = `ecs/app/${spec.taskId}`;
    const text = logText("/ecs/dtest", appStream);
    expect(text).toContain("greeting=hi secret=s3cr3t exec=AWS_ECS_FARGATE region=us-east-1");
    const task = JSON.parse(/task=(.*)/.exec(text)![1]!);
    expect(task.TaskARN).toBe(spec.taskArn);
    expect(task.Family).toBe("dtest");
    expect(task.Revision).toBe("1");
    expect(task.Limits).toEqual({ CPU: 0.25, Memory: 512 });
    expect(task.KnownStatus).toBe("RUNNING");
    expect(task.Containers.length).toBe(3);
    const self = JSON.parse(/self=(.*)/.exec(text)![1]!);
    expect(self.Name).toBe("app");
    expect(self.DockerId).toMatch(/^[0-9a-f]{64}$/);
    expect(self.Labels["com.amazonaws.ecs.task-arn"]).toBe(spec.taskArn);
    expect(self.Networks[0].IPv4Addresses).toEqual([result.privateIp]);
    const creds = JSON.parse(/creds=(.*)/.exec(text)![1]!);
    expect(creds.RoleArn).toBe(spec.taskRoleArn);
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Object.keys(creds).sort()).toEqual(["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"]);
    // Containers of one awsvpc task share localhost.
    expect(text).toContain("sidecar=pong");

    // The Logs API reads the same store.
    const page = handleLogsOperation("GetLogEvents", { logGroupName: "/ecs/dtest", logStreamName: appStream, startFromHead: true }, store) as {
      events: { message: string }[];
    };
    expect(page.events[0]!.message).toContain("greeting=hi");
    expect(logText("/ecs/dtest", `ecs/init/${spec.taskId}`)).toBe("init-done");

    await runtime.stop(spec.taskArn, { signal: "SIGTERM", timeoutMs: () => 500 });
    const sidecarExit = await recorder.exited(spec.taskArn, "sidecar");
    expect([137, 143]).toContain(sidecarExit.exitCode);
    await runtime.remove(spec.taskArn);
  }, 60_000);

  it("stop() delivers SIGTERM to a trap, SIGKILLs a container that ignores it after the timeout, and forwards via init", async () => {
    const spec = taskSpec([
      { name: "trapper", command: ["sh", "-c", "trap 'echo got-sigterm; exit 0' TERM; echo ready; while true; do sleep 0.1; done"] },
      { name: "stubborn", command: ["sh", "-c", "echo ready; while true; do sleep 0.1; done"] },
      { name: "inited", command: ["sleep", "60"], linuxParameters: { initProcessEnabled: true } },
    ]);
    await run(spec);
    // Without a log configuration there is no log group; the output is kept aside locally.
    const group = `/ecs-sim/docker-test`;
    await waitForLog(group, `dtest/trapper/${spec.taskId}`, "ready", local);
    await waitForLog(group, `dtest/stubborn/${spec.taskId}`, "ready", local);
    expect(store.getGroup(group)).toBeUndefined();

    const stoppedAt = Date.now();
    await runtime.stop(spec.taskArn, { signal: "SIGTERM", timeoutMs: (name) => (name === "stubborn" ? 1000 : 5000) });
    const [trapper, stubborn, inited] = await Promise.all([
      recorder.exited(spec.taskArn, "trapper"),
      recorder.exited(spec.taskArn, "stubborn"),
      recorder.exited(spec.taskArn, "inited"),
    ]);
    expect(trapper.exitCode).toBe(0);
    expect(logText(group, `dtest/trapper/${spec.taskId}`, local)).toContain("got-sigterm");
    expect(stubborn.exitCode).toBe(137);
    expect(stubborn.reason).toBeUndefined();
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(900);
    expect(inited.exitCode).toBe(143);
    await runtime.remove(spec.taskArn);
  }, 30_000);

  it("health checks run as on ECS: failures inside startPeriod do not count, `retries` failures in a row make it UNHEALTHY", async () => {
    // Checks start about 2, 4, 6 and 8 s after the start; the first two fall in the 5 s grace
    // (a second of slack either way for a loaded machine).
    const healthCheck = { command: ["CMD-SHELL", "exit 1"], interval: 2, timeout: 1, retries: 2, startPeriod: 5 };
    const spec = taskSpec([{ name: "app", command: ["sleep", "60"], healthCheck }]);
    const result = await run(spec);
    await recorder.waitFor((e) => e.type === "container-health" && e.taskArn === spec.taskArn && e.status === "UNHEALTHY");
    const health = (await docker.getContainer(result.containers[0]!.runtimeId).inspect()).State.Health!;
    expect(health.FailingStreak).toBe(2);
    expect(health.Log.length).toBe(4);
    await runtime.stop(spec.taskArn, { signal: "SIGTERM", timeoutMs: () => 0 });
    await recorder.exited(spec.taskArn, "app");
    await runtime.remove(spec.taskArn);
  }, 30_000);

  it("reports an OOM kill with AWS's reason and exit code 137", async () => {
    const spec = taskSpec([{ name: "hog", memory: 8, command: ["sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"] }], {
      memory: 512,
    });
    await run(spec);
    const exit = await recorder.exited(spec.taskArn, "hog");
    expect(exit.exitCode).toBe(137);
    expect(exit.reason).toBe(Messages.outOfMemory);
    await runtime.remove(spec.taskArn);
  }, 30_000);

  it("fails prepare() with CannotPullContainerError for an image that cannot be had", async () => {
    const spec = taskSpec([{ name: "app", image: "does-not-exist:latest" }]);
    const err = await runtime.prepare(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskStartError);
    const reason = (err as TaskStartError).stoppedReason;
    expect(reason.startsWith("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/does-not-exist:latest")).toBe(true);
    expect((err as TaskStartError).containerReasons["app"]).toBe(reason);
    await runtime.remove(spec.taskArn);
  }, 60_000);

  it("rewrites ECR references to local images", async () => {
    const spec = taskSpec([{ name: "app", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecs-sim-test/busybox:latest", command: ["true"] }]);
    await run(spec);
    expect((await recorder.exited(spec.taskArn, "app")).exitCode).toBe(0);
    await runtime.remove(spec.taskArn);
  }, 30_000);

  it("refuses privileged containers and missing secrets with reasons that say what to change", async () => {
    const privileged = taskSpec([{ name: "app", privileged: true }]);
    const err = await runtime.prepare(privileged).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskStartError);
    expect((err as TaskStartError).stoppedReason).toContain("docker.allowPrivileged");

    const secret = taskSpec([{ name: "app", secrets: [{ name: "X", valueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-123456" }] }]);
    const err2 = await run(secret).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(TaskStartError);
    expect((err2 as TaskStartError).stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth/);
    await runtime.remove(secret.taskArn);
  }, 30_000);

  it("removeLeftovers() removes only other instances' labelled objects; close() leaves nothing labelled", async () => {
    const foreign = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ["true"], Labels: { [LABEL_INSTANCE]: "some-dead-instance" } });
    const unrelated = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ["true"], Labels: { "not-ecs-sim": "x" } });
    try {
      const report = await removeLeftovers(docker, instanceId, silentLogger);
      expect(report.containers).toBeGreaterThanOrEqual(1);
      await expect(docker.getContainer(foreign.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getContainer(unrelated.id).inspect()).resolves.toBeTruthy();
    } finally {
      await unrelated.remove({ force: true });
    }

    const spec = taskSpec([{ name: "long", command: ["sleep", "60"] }]);
    await run(spec);
    await runtime.close();
    const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${instanceId}`] });
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
  }, 60_000);
});
