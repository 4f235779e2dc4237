/**
 * The warm pool of awsvpc network holders: a task without published ports takes a started holder
 * instead of starting its own, the pool refills, each task still gets its own namespace and
 * address, and every cleanup (close, leftovers of a dead instance) removes pooled holders.
 * Waits are on the pool's own settling, never sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { RealClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { RuntimeTaskSpec } from "../../src/runtime/types.js";
import { DockerRuntime, LABEL_INSTANCE, LABEL_TASK_ARN, createDockerClient, newInstanceId, removeLeftovers } from "../../src/runtime/docker/index.js";
import { EventRecorder, detectDocker, ensureTestImage, requireDocker, taskSpec } from "./helpers.js";

const available = await detectDocker();

describe.runIf(requireDocker && !available)("Docker engine (required)", () => {
  it("answers, because ECS_SIM_REQUIRE_DOCKER=1", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

describe.skipIf(!available)("warm pool of awsvpc network holders", () => {
  const clock = new RealClock();
  let docker: Docker;
  const runtimes: DockerRuntime[] = [];
  const ids: string[] = [];

  function newRuntime(instanceId: string, awsvpcWarmPool: number, stateKey?: string): DockerRuntime {
    const runtime = new DockerRuntime({
      clock,
      logger: silentLogger,
      listener: new EventRecorder().listener,
      config: { launchConcurrency: 4, awsvpcWarmPool },
      instanceId,
      simulatorEndpoint: "http://127.0.0.1:1",
      lookupTask: () => undefined,
      ...(stateKey ? { stateKey } : {}),
    });
    runtimes.push(runtime);
    ids.push(instanceId);
    return runtime;
  }

  async function run(runtime: DockerRuntime, spec: RuntimeTaskSpec) {
    await runtime.prepare(spec);
    return runtime.start(spec);
  }

  /** The holder whose namespace the task's app container joined. */
  async function holderOf(spec: RuntimeTaskSpec): Promise<Docker.ContainerInspectInfo> {
    const [app] = await docker.listContainers({ filters: JSON.stringify({ label: [`${LABEL_TASK_ARN}=${spec.taskArn}`, "ecs-sim.role=container"] }) });
    const mode = (await docker.getContainer(app!.Id).inspect()).HostConfig.NetworkMode!;
    expect(mode).toMatch(/^container:/);
    return docker.getContainer(mode.slice("container:".length)).inspect();
  }

  /** Running holders of the instance that were made for the pool (no task label), minus those in use. */
  async function pooled(instanceId: string, inUse: string[] = []): Promise<string[]> {
    const all = await docker.listContainers({ filters: JSON.stringify({ label: [`${LABEL_INSTANCE}=${instanceId}`, "ecs-sim.role=pause"] }) });
    return all.filter((c) => !c.Labels[LABEL_TASK_ARN] && !inUse.includes(c.Id)).map((c) => c.Id);
  }

  beforeAll(async () => {
    docker = createDockerClient();
    await ensureTestImage(docker);
  }, 60_000);

  afterAll(async () => {
    for (const r of runtimes) await r.close().catch(() => undefined);
    for (const id of ids) {
      const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${id}`] });
      for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
  }, 60_000);

  it("hands a started holder to a task without ports, refills, and keeps tasks in their own namespaces with their own addresses", async () => {
    const instanceId = newInstanceId("pool-test-1");
    const runtime = newRuntime(instanceId, 2);
    const first = taskSpec([{ name: "app", command: ["sleep", "60"] }]);
    await run(runtime, first);
    expect(await runtime.warmPoolSettled()).toBe(2);
    const firstHolder = await holderOf(first);
    const ready = await pooled(instanceId, [firstHolder.Id]);
    expect(ready).toHaveLength(2);

    const a = taskSpec([{ name: "app", command: ["sleep", "60"] }]);
    const b = taskSpec([{ name: "app", command: ["sleep", "60"] }]);
    const [resultA, resultB] = await Promise.all([run(runtime, a), run(runtime, b)]);
    const [holderA, holderB] = await Promise.all([holderOf(a), holderOf(b)]);
    // Both came from the pool, one each.
    expect(new Set([holderA.Id, holderB.Id])).toEqual(new Set(ready));
    expect(holderA.State.Running && holderB.State.Running).toBe(true);
    // Named after the task it now serves, as a holder made for the task would be.
    expect(holderA.Name).toBe(`/ecs-sim-pause-${a.taskId}`);
    expect(holderB.Name).toBe(`/ecs-sim-pause-${b.taskId}`);
    // Own namespace and own address, reported as the task's.
    const ipA = Object.values(holderA.NetworkSettings.Networks)[0]!.IPAddress;
    const ipB = Object.values(holderB.NetworkSettings.Networks)[0]!.IPAddress;
    expect(ipA).not.toBe(ipB);
    expect(resultA.privateIp).toBe(ipA);
    expect(resultB.privateIp).toBe(ipB);
    expect(firstHolder.Id).not.toBe(holderA.Id);
    expect(firstHolder.Id).not.toBe(holderB.Id);

    // Refilled with new holders, never the used ones.
    expect(await runtime.warmPoolSettled()).toBe(2);
    const refilled = await pooled(instanceId, [firstHolder.Id, holderA.Id, holderB.Id]);
    expect(refilled).toHaveLength(2);
    for (const id of refilled) expect(ready).not.toContain(id);

    // Removing a pooled task removes its holder with it.
    await runtime.remove(a.taskArn);
    await expect(docker.getContainer(holderA.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);

  it("gives a task with published ports its own labelled holder, and starts none with a pool of 0", async () => {
    const instanceId = newInstanceId("pool-test-2");
    const runtime = newRuntime(instanceId, 2);
    await run(runtime, taskSpec([{ name: "app", command: ["sleep", "60"] }]));
    expect(await runtime.warmPoolSettled()).toBe(2);
    const web = taskSpec([{ name: "web", command: ["sleep", "60"], portMappings: [{ containerPort: 8080, protocol: "tcp" }] }]);
    await run(runtime, web);
    const holder = await holderOf(web);
    expect(holder.Config.Labels[LABEL_TASK_ARN]).toBe(web.taskArn);
    expect(Object.keys(holder.HostConfig.PortBindings ?? {})).toEqual(["8080/tcp"]);

    const noPoolId = newInstanceId("pool-test-3");
    const noPool = newRuntime(noPoolId, 0);
    await run(noPool, taskSpec([{ name: "app", command: ["sleep", "60"] }]));
    expect(await noPool.warmPoolSettled()).toBe(0);
    expect(await pooled(noPoolId)).toEqual([]);

    // With a state dir, holders must carry their task's labels for adoption: no pool.
    const stateId = newInstanceId("pool-test-5");
    const persistent = newRuntime(stateId, 2, `pooltest${process.pid}`);
    const kept = taskSpec([{ name: "app", command: ["sleep", "60"] }]);
    await run(persistent, kept);
    expect(await persistent.warmPoolSettled()).toBe(0);
    expect((await holderOf(kept)).Config.Labels[LABEL_TASK_ARN]).toBe(kept.taskArn);
    await persistent.remove(kept.taskArn);
  }, 120_000);

  it("close() removes pooled holders; a dead instance's pooled holders are removed as leftovers", async () => {
    const closedId = newInstanceId("pool-test-4");
    const closing = newRuntime(closedId, 2);
    await run(closing, taskSpec([{ name: "app", command: ["sleep", "60"] }]));
    expect(await closing.warmPoolSettled()).toBe(2);
    await closing.close();
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_INSTANCE}=${closedId}`] }) })).toEqual([]);

    // An instance id whose owner process does not exist: what a crashed simulator leaves.
    const deadId = `${newInstanceId("x").split(".")[0]}.2147483646.pool-test`;
    const crashed = newRuntime(deadId, 2);
    await run(crashed, taskSpec([{ name: "app", command: ["sleep", "60"] }]));
    expect(await crashed.warmPoolSettled()).toBe(2);
    expect((await pooled(deadId)).length).toBeGreaterThanOrEqual(2);
    await removeLeftovers(docker, newInstanceId("survivor"), silentLogger);
    expect(await pooled(deadId)).toEqual([]);
  }, 120_000);
});
