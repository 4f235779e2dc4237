import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand, waitUntilServicesStable } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { createDockerClient } from "../../src/runtime/docker/index.js";
import { detectDocker, ensureTestImage, TEST_IMAGE } from "../docker/helpers.js";
import { AWSVPC } from "./helpers.js";

/**
 * The local load balancer with real containers: a rolling deployment switches what the front
 * door serves. Skipped (with the Docker suite's warning) when no engine answers.
 */
const available = await detectDocker();
const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";

function httpDefinition(body: string) {
  return {
    family: "lb-web",
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    containerDefinitions: [
      {
        name: "web",
        image: TEST_IMAGE,
        command: ["sh", "-c", `mkdir -p /www && echo ${body} > /www/index.html && exec httpd -f -p 8080 -h /www`],
        portMappings: [{ containerPort: 8080 }],
        stopTimeout: 2,
      },
    ],
  };
}

describe.skipIf(!available)("the local load balancer in front of Docker tasks", () => {
  let sim: RunningSimulator;
  let ecs: ECSClient;

  beforeAll(async () => {
    await ensureTestImage(createDockerClient(process.env["DOCKER_HOST"]));
    sim = await startSimulator({
      runtime: "docker",
      clock: "real",
      timing: "fast",
      seed: 5,
      quotas: { profile: "unlimited" },
      services: { healthyAfterMs: 300 },
    });
    ecs = new ECSClient({ endpoint: sim.endpoint, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    await ecs.send(new CreateClusterCommand({}));
  }, 60_000);
  afterAll(async () => sim?.close(), 60_000);

  it("forwards to the service's containers and follows a rolling deployment", async () => {
    const v1 = (await ecs.send(new RegisterTaskDefinitionCommand(httpDefinition("v1") as never))).taskDefinition!.taskDefinitionArn!;
    await ecs.send(
      new CreateServiceCommand({
        serviceName: "web",
        taskDefinition: v1,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: AWSVPC as never,
        loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
      }),
    );
    const waiter = { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
    expect((await waitUntilServicesStable(waiter, { services: ["web"] })).state).toBe("SUCCESS");
    const doors = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/load-balancers" })).json();
    const url: string = doors.loadBalancers[0].url;
    expect(doors.loadBalancers[0].targets.every((t: any) => typeof t.port === "number")).toBe(true);
    expect((await (await fetch(url)).text()).trim()).toBe("v1");

    const v2 = (await ecs.send(new RegisterTaskDefinitionCommand(httpDefinition("v2") as never))).taskDefinition!.taskDefinitionArn!;
    await ecs.send(new UpdateServiceCommand({ service: "web", taskDefinition: v2 }));
    expect((await waitUntilServicesStable(waiter, { services: ["web"] })).state).toBe("SUCCESS");
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await (await fetch(url)).text()).trim());
    expect(bodies).toEqual(["v2", "v2", "v2", "v2"]);
  }, 90_000);
});
