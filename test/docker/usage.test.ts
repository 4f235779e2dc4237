/**
 * A task's CPU and memory use from Docker's container stats, the values the service utilization
 * metrics (ECSServiceAverageCPUUtilization / MemoryUtilization) are made of under Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { RealClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { LogStore } from "../../src/logs/store.js";
import { DockerRuntime, LABEL_INSTANCE, createDockerClient, newInstanceId } from "../../src/runtime/docker/index.js";
import { EventRecorder, detectDocker, ensureTestImage, requireDocker, taskSpec } from "./helpers.js";

const available = await detectDocker();

describe.runIf(requireDocker && !available)("Docker engine (required)", () => {
  it("answers, because ECS_SIM_REQUIRE_DOCKER=1", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

describe.skipIf(!available)("DockerRuntime.usage", () => {
  const clock = new RealClock();
  const instanceId = newInstanceId("usage-test");
  const local = new LogStore(clock);
  let docker: Docker;
  let runtime: DockerRuntime;

  beforeAll(async () => {
    docker = createDockerClient();
    await ensureTestImage(docker);
    runtime = new DockerRuntime({
      clock,
      logger: silentLogger,
      listener: new EventRecorder().listener,
      config: { launchConcurrency: 2 },
      instanceId,
      simulatorEndpoint: "http://127.0.0.1:1",
      logStore: new LogStore(clock),
      localLogStore: local,
      lookupTask: (arn) => ({ taskArn: arn, desiredStatus: "RUNNING", lastStatus: "RUNNING" }),
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    if (!docker) return;
    const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${instanceId}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  }, 60_000);

  function waitForLog(stream: string, text: string): Promise<void> {
    return new Promise((resolve) => {
      const group = "/ecs-sim/docker-test";
      if (local.getStream(group, stream)?.events.some((e) => e.message.includes(text))) return resolve();
      const off = local.subscribe((g, s, e) => {
        if (g === group && s === stream && e.message.includes(text)) {
          off();
          resolve();
        }
      });
    });
  }

  it("measures a busy container's CPU against the task's units and its memory against the task's memory", async () => {
    // 48 MiB held in /dev/shm (charged to the container) and one shell spinning: about one vCPU.
    const spec = taskSpec([{ name: "busy", command: ["sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=48 2>/dev/null; echo ready; while :; do :; done"] }], { cpu: 1024, memory: 512 });
    expect(await runtime.usage(spec.taskArn)).toBeUndefined();
    await runtime.prepare(spec);
    await runtime.start(spec);
    await waitForLog(`dtest/busy/${spec.taskId}`, "ready");
    const usage = (await runtime.usage(spec.taskArn))!;
    // A shared machine may give the loop less than a whole CPU, never nothing.
    expect(usage.cpuPercent).toBeGreaterThan(10);
    expect(usage.cpuPercent).toBeLessThan(250);
    // 48 MiB of 512 is about 9 %.
    expect(usage.memoryPercent).toBeGreaterThan(5);
    expect(usage.memoryPercent).toBeLessThan(50);
    await runtime.remove(spec.taskArn);
    expect(await runtime.usage(spec.taskArn)).toBeUndefined();
  }, 60_000);
});
