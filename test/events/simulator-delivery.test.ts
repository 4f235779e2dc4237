import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/index.js";
import { AWSVPC, FARGATE_DEF, ok } from "../helpers/sim.js";

describe("events from a running simulator", () => {
  it("reach a configured webhook and an in-process subscriber, shaped as EventBridge sends them", async () => {
    const received: any[] = [];
    let gotRunning!: () => void;
    const running = new Promise<void>((r) => (gotRunning = r));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const event = JSON.parse(body);
        received.push(event);
        if (event.detail.lastStatus === "RUNNING") gotRunning();
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const sim = await startSimulator({ defaultLaunchType: "FARGATE", runtime: "simulated", quotas: { profile: "unlimited" }, events: { webhooks: [{ url }] } });
    try {
      const subscribed: string[] = [];
      sim.simulator.events.subscribe({ detailTypes: ["ECS Task State Change"] }, (e: any) => subscribed.push(e.detail.lastStatus));
      await ok(sim, "CreateCluster", {});
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      const run = await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
      await running;
      const event = received.find((e) => e.detail.lastStatus === "RUNNING");
      expect(event).toMatchObject({
        version: "0",
        "detail-type": "ECS Task State Change",
        source: "aws.ecs",
        account: "000000000000",
        region: "us-east-1",
        resources: [run.tasks[0].taskArn],
        detail: { taskArn: run.tasks[0].taskArn, desiredStatus: "RUNNING", clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/default" },
      });
      expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(typeof event.detail.createdAt).toBe("string");
      expect(subscribed).toContain("RUNNING");
    } finally {
      await sim.close();
      server.close();
    }
  });
});
