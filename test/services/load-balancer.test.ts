import http from "node:http";
import { afterEach, describe as suite, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import type { RunningSimulator } from "../../src/index.js";
import { LocalLoadBalancers } from "../../src/loadbalancer/index.js";
import { advanceUntil, call, describe, newSim, ok, register, SERVICE_BASE, webDefinition } from "./helpers.js";

let sim: RunningSimulator | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
const LB = { targetGroupArn: TG, containerName: "app", containerPort: 8080 };
const stable = (s: any) => s.deployments.length === 1 && s.runningCount === s.desiredCount;

async function frontDoor(s: RunningSimulator): Promise<string> {
  const res = await s.simulator.app.inject({ method: "GET", url: "/_sim/load-balancers" });
  const body = res.json();
  expect(body.enabled).toBe(true);
  const door = body.loadBalancers.find((d: any) => d.targetGroupArn === TG);
  expect(door.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return door.url;
}

suite("the local load balancer", () => {
  it("registers service tasks and sends traffic to the deployment that serves, with registration events", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const v2 = await register(sim, webDefinition("web", { VERSION: "2" }));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: v1, desiredCount: 2, loadBalancers: [LB] });
    const url = await frontDoor(sim);

    // Nothing registered yet: a clear 503.
    const empty = await fetch(url);
    expect(empty.status).toBe(503);
    expect(((await empty.json()) as any).message).toContain(`no healthy targets in (target-group ${TG})`);

    await advanceUntil(sim, async () => stable(await describe(sim!, "web")));
    const s1 = await describe(sim, "web");
    expect(s1.loadBalancers).toEqual([LB]);
    expect(s1.events.map((e: any) => e.message)).toContain(`(service web) registered 2 targets in (target-group ${TG})`);

    // The simulated runtime has no ports to forward to: 503 naming the task that would have served.
    const served = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.message).toContain("the simulated runtime runs no containers");
      served.push(res.headers.get("x-ecs-sim-task-arn"));
      expect(res.headers.get("x-ecs-sim-task-definition-arn")).toBe(v1);
    }
    expect(new Set(served).size).toBe(2); // round robin

    await ok(sim, "UpdateService", { cluster: "default", service: "web", taskDefinition: v2 });
    await advanceUntil(sim, async () => stable(await describe(sim!, "web")));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url);
      await res.arrayBuffer();
      expect(res.headers.get("x-ecs-sim-task-definition-arn")).toBe(v2);
    }
    const messages: string[] = (await describe(sim, "web")).events.map((e: any) => e.message);
    expect(messages).toContain(`(service web) deregistered 2 targets in (target-group ${TG})`);
    expect(messages).toContain("(service web) has begun draining connections on 2 tasks.");

    // Deleting the service closes the door.
    await ok(sim, "DeleteService", { cluster: "default", service: "web", force: true });
    await advanceUntil(sim, async () => (await describe(sim!, "web")).status === "INACTIVE");
    const after = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/load-balancers" })).json();
    expect(after.loadBalancers).toEqual([]);
  });

  it("validates the load balancer's container and port", async () => {
    sim = await newSim();
    const v1 = await register(sim, webDefinition("web"));
    const res = await call(sim, "CreateService", {
      ...SERVICE_BASE,
      serviceName: "web",
      taskDefinition: v1,
      desiredCount: 1,
      loadBalancers: [{ ...LB, containerPort: 9999 }],
    });
    expect(res.body).toEqual({ __type: "InvalidParameterException", message: "The container app did not have a container port 9999 defined." });
  });

  it("forwards connections round robin to targets with real ports", async () => {
    const servers = await Promise.all(
      ["one", "two"].map(
        (name) =>
          new Promise<{ name: string; port: number; server: http.Server }>((resolve) => {
            const server = http.createServer((_req, res) => res.end(name));
            server.listen(0, "127.0.0.1", () => resolve({ name, port: (server.address() as any).port, server }));
          }),
      ),
    );
    cleanups.push(async () => {
      for (const s of servers) await new Promise((r) => s.server.close(r));
    });
    const doors = new LocalLoadBalancers({ host: "127.0.0.1", basePort: 0, logger: createLogger({ level: "silent" } as any), runtimeKind: "docker" });
    cleanups.push(() => doors.closeAll());
    const key = LocalLoadBalancers.key("svc", TG);
    doors.open(key, { serviceArn: "svc", serviceName: "web", targetGroupArn: TG, containerName: "app", containerPort: 8080 });
    doors.setTargets(
      key,
      servers.map((s) => ({ taskArn: `task/${s.name}`, taskDefinitionArn: "td", host: "127.0.0.1", port: s.port })),
    );
    await doors.ready();
    const url = doors.list()[0]!.url!;
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push(await (await fetch(url, { headers: { connection: "close" } })).text());
    expect(bodies).toEqual(["one", "two", "one", "two"]);
    // A target that refuses: 503 with the reason.
    doors.setTargets(key, [{ taskArn: "task/gone", taskDefinitionArn: "td", host: "127.0.0.1", port: 1 }]);
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).message).toContain("refused the connection");
  });
});
