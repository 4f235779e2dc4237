import { RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/random.js";
import { createDockerClient, LABEL_INSTANCE } from "../../src/runtime/docker/index.js";
import { CLI, instancePrefix, startCli, type CliProcess } from "../helpers/cli-process.js";
import { AWSVPC, ecsClient } from "../helpers/sim.js";
import { detectDocker, ensureTestImage, requireDocker, TEST_IMAGE } from "./helpers.js";

/**
 * SIGTERM in the middle of a burst of Docker launches: shutdown stops admitting, lets in-flight
 * launches finish or fail (bounded), then removes everything. Checked from outside the process:
 * no container, network or volume with its instance label survives it, and its log shows no task
 * reaching RUNNING after the signal.
 */
const available = await detectDocker();
const docker = createDockerClient();
const children: CliProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
});

async function leftovers(pid: number): Promise<string[]> {
  const prefix = instancePrefix(pid);
  const filters = JSON.stringify({ label: [LABEL_INSTANCE] });
  const mine = (labels?: Record<string, string> | null) => !!labels?.[LABEL_INSTANCE]?.startsWith(prefix);
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => mine(c.Labels)).map((c) => `container ${c.Names[0]}`);
  const networks = (await docker.listNetworks({ filters })).filter((n) => mine(n.Labels)).map((n) => `network ${n.Name}`);
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) => mine(v.Labels)).map((v) => `volume ${v.Name}`);
  return [...containers, ...networks, ...volumes];
}

describe.runIf(!available && requireDocker)("shutdown during launches (required)", () => {
  it("has a Docker engine", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers");
  });
});

describe.skipIf(!available || !existsSync(CLI))("SIGTERM during a burst of Docker launches", () => {
  // Seeded kill points across the burst: before the first create, among creates and starts, late.
  const random = new SeededRandom(1013);
  const points = [0, 1, 2].map((i) => random.int(i * 700, i * 700 + 700));

  it.each(points)("leaves nothing behind when SIGTERM comes %i ms into the burst", async (killAfterMs) => {
    await ensureTestImage(docker);
    const sim = startCli(["--port", "0", "--runtime", "docker", "--quota-profile", "unlimited", "--seed", "13"]);
    children.push(sim);
    const endpoint = await sim.ready;
    const ecs = ecsClient(endpoint, { maxAttempts: 1 });
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "burst",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          { name: "app", image: TEST_IMAGE, essential: true, command: ["sleep", "300"], stopTimeout: 1 },
          { name: "side", image: TEST_IMAGE, essential: false, command: ["sleep", "300"], stopTimeout: 1 },
        ],
      }),
    );
    // Two requests of four tasks: twelve containers at most, enough to be mid-launch at any point.
    const burst = [0, 1].map(() =>
      ecs
        .send(new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, count: 4, networkConfiguration: AWSVPC as never }))
        .catch(() => undefined),
    );
    await new Promise<void>((resolve) => setTimeout(resolve, killAfterMs));
    sim.child.kill("SIGTERM");
    const exit = await sim.exited;
    await Promise.all(burst);
    ecs.destroy();

    expect(exit.code).toBe(0);
    expect(await leftovers(sim.child.pid!), sim.output().stderr).toEqual([]);
    const log = sim.output().stderr;
    const afterSignal = log.slice(log.indexOf("SIGTERM received"));
    expect(log).toContain("SIGTERM received");
    expect(afterSignal).not.toMatch(/-> RUNNING/);
  }, 120_000);
});
