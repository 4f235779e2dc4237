/**
 * What a task can reach, against a real engine: the task endpoint listens on the task network's
 * gateway (not on every interface), answers a task's metadata and credentials only to that task,
 * and forwards its API calls but not the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { RealClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { RunningSimulator } from "../../src/index.js";
import { LogStore } from "../../src/logs/store.js";
import { DockerRuntime, LABEL_INSTANCE, createDockerClient, newInstanceId } from "../../src/runtime/docker/index.js";
import { EventRecorder, detectDocker, ensureTestImage, requireDocker, taskSpec } from "./helpers.js";
import { virtualSim } from "../helpers/sim.js";

const available = await detectDocker();

describe.runIf(requireDocker && !available)("Docker engine (required)", () => {
  it("answers, because ECS_SIM_REQUIRE_DOCKER=1", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

describe.skipIf(!available)("task isolation on the Docker runtime", () => {
  const clock = new RealClock();
  const instanceId = newInstanceId("isolation-test");
  const recorder = new EventRecorder();
  const store = new LogStore(clock);
  let sim: RunningSimulator;
  let docker: Docker;
  let runtime: DockerRuntime;

  beforeAll(async () => {
    docker = createDockerClient();
    await ensureTestImage(docker);
    sim = await virtualSim();
    runtime = new DockerRuntime({
      clock,
      logger: silentLogger,
      listener: recorder.listener,
      config: { launchConcurrency: 2 },
      instanceId,
      simulatorEndpoint: sim.endpoint,
      logStore: store,
      localLogStore: store,
      lookupTask: (arn) => ({ taskArn: arn, desiredStatus: "RUNNING", lastStatus: "RUNNING" }),
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    if (!docker) return;
    const filters = JSON.stringify({ label: [`${LABEL_INSTANCE}=${instanceId}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  }, 60_000);

  async function envOf(containerId: string): Promise<Record<string, string>> {
    const info = await docker.getContainer(containerId).inspect();
    return Object.fromEntries(info.Config.Env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  }

  it("binds the gateway, refuses other tasks and the host, and keeps /_sim/ out of reach", async () => {
    const role = { taskRoleArn: "arn:aws:iam::000000000000:role/app" };
    const victim = taskSpec([{ name: "app", command: ["sh", "-c", "sleep 300"], stopTimeout: 1 }], role);
    await runtime.prepare(victim);
    const victimStart = await runtime.start(victim);
    const victimEnv = await envOf(victimStart.containers[0]!.runtimeId);

    // Bound where only this machine and the task network reach it, never on every interface.
    const where = await runtime.taskEndpoint();
    expect(where.host).not.toBe("0.0.0.0");
    // Where dockerd shares this network namespace (here, CI), that is the task network's gateway.
    const network = await docker.getNetwork(`ecs-sim-${instanceId}`).inspect();
    const gateway = network.IPAM?.Config?.[0]?.Gateway;
    const gatewayIsLocal = where.host === gateway;
    if (process.env["CI"] || requireDocker) expect(where.host).toBe(gateway);
    const direct = (path: string) => fetch(`http://${where.host}:${where.port}${path}`);

    // The host is not the task: the victim's secrets alone do not open its credentials.
    const credPath = new URL(victimEnv["AWS_CONTAINER_CREDENTIALS_FULL_URI"]!).pathname;
    const metaPath = new URL(victimEnv["ECS_CONTAINER_METADATA_URI_V4"]!).pathname;
    expect(metaPath).toMatch(/^\/v4\/[0-9a-f]{32}-[0-9a-f]{32}$/);
    if (gatewayIsLocal) {
      expect((await direct(credPath)).status).toBe(403);
      expect((await direct(`${metaPath}/task`)).status).toBe(403);
    }

    const attacker = [
      `echo "admin=$(wget -qO- "$AWS_ENDPOINT_URL/_sim/health" 2>&1)"`,
      `echo "reset=$(wget -qO- --post-data '{}' "$AWS_ENDPOINT_URL/_sim/reset" 2>&1)"`,
      `echo "api=$(wget -qO- --header "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters" --header "Content-Type: application/x-amz-json-1.1" --post-data '{}' "$AWS_ENDPOINT_URL")"`,
      `echo "stolen=$(wget -qO- "http://127.0.0.1:51679${credPath}" 2>&1)"`,
      `echo "stolenmeta=$(wget -qO- "http://127.0.0.1:51679${metaPath}/task" 2>&1)"`,
      `echo "relay=$(wget -qO- "http://${victimStart.privateIp}:51679${credPath}" 2>&1)"`,
      `echo "own=$(wget -qO- "$AWS_CONTAINER_CREDENTIALS_FULL_URI")"`,
    ].join("; ");
    const other = taskSpec([{ name: "probe", command: ["sh", "-c", attacker] }], role);
    await runtime.prepare(other);
    await runtime.start(other);
    await recorder.exited(other.taskArn, "probe");
    const text = (store.getStream("/ecs-sim/docker-test", `dtest/probe/${other.taskId}`)?.events ?? []).map((e) => e.message).join("\n");
    const line = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1] ?? "";

    expect(line("admin")).toMatch(/404/);
    expect(line("reset")).toMatch(/404/);
    expect(JSON.parse(line("api")).clusterArns).toBeDefined();
    expect(line("stolen")).toMatch(/403/);
    expect(line("stolenmeta")).toMatch(/403/);
    // The victim's in-task forwarder listens on its loopback only: no relaying through it.
    expect(line("relay")).not.toMatch(/AccessKeyId/);
    const own = JSON.parse(line("own"));
    expect(own.RoleArn).toBe(role.taskRoleArn);
    // Signature checking (--verify-signatures) accepts the credentials a task was handed...
    expect(runtime.issuedCredentials(own.AccessKeyId)).toEqual({ secretAccessKey: own.SecretAccessKey, sessionToken: own.Token });

    // A bridge-mode container reaches its own metadata by the name it is given; its address is
    // learnt when it first asks, even before the runtime has inspected it.
    const bridge = taskSpec([{ name: "web", command: ["sh", "-c", 'echo "meta=$(wget -qO- "$ECS_CONTAINER_METADATA_URI_V4" 2>&1)"'] }], {
      networkMode: "bridge",
    });
    await runtime.prepare(bridge);
    await runtime.start(bridge);
    await recorder.exited(bridge.taskArn, "web");
    const bridgeText = (store.getStream("/ecs-sim/docker-test", `dtest/web/${bridge.taskId}`)?.events ?? []).map((e) => e.message).join("\n");
    expect(JSON.parse(/^meta=(.*)$/m.exec(bridgeText)?.[1] ?? "null")?.Name).toBe("web");
    await runtime.remove(bridge.taskArn);

    // ...until the task is gone.
    await runtime.remove(other.taskArn);
    expect(runtime.issuedCredentials(own.AccessKeyId)).toBeUndefined();

    await runtime.stop(victim.taskArn, { signal: "SIGTERM", timeoutMs: () => 0 });
    await recorder.exited(victim.taskArn, "app");
    await runtime.remove(victim.taskArn);
  }, 90_000);
});
