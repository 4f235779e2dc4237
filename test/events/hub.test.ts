import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import type { EcsEventEnvelope } from "../../src/events/envelope.js";
import { parseEventsConfig } from "../../src/events/config.js";
import { ACCOUNT, REGION, makeHub, simpleTask } from "./fixtures.js";

describe("EventHub", () => {
  it("turns task.changed into a logged ECS Task State Change with resources [taskArn]", () => {
    const { hub, clock, publishTask } = makeHub();
    const task = simpleTask("prod", "t1");
    publishTask(task);
    const [e] = hub.list();
    expect(e).toMatchObject({
      "detail-type": "ECS Task State Change",
      source: "aws.ecs",
      account: ACCOUNT,
      region: REGION,
      time: "2026-01-01T00:00:00Z",
      resources: [task.taskArn],
      detail: { taskArn: task.taskArn, clusterArn: task.clusterArn, lastStatus: "PROVISIONING", updatedAt: new Date(clock.now()).toISOString() },
    });
  });

  it("passes service events through with their detail-type, detail and resources", () => {
    const { hub, bus } = makeHub();
    const detail = {
      eventType: "ERROR",
      eventName: "SERVICE_TASK_PLACEMENT_FAILURE",
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/default`,
      capacityProviderArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:capacity-provider/FARGATE_SPOT`],
      reason: "RESOURCE:FARGATE",
      createdAt: "2026-01-01T00:00:00.000Z",
    };
    const resources = [`arn:aws:ecs:${REGION}:${ACCOUNT}:service/default/servicetest`];
    bus.publish("service.event", { account: ACCOUNT, region: REGION, detailType: "ECS Service Action", resources, detail });
    bus.publish("service.event", {
      account: ACCOUNT,
      region: REGION,
      detailType: "ECS Deployment State Change",
      resources,
      detail: { eventType: "INFO", eventName: "SERVICE_DEPLOYMENT_COMPLETED", deploymentId: "ecs-svc/123", updatedAt: "x", reason: "ECS deployment ecs-svc/123 completed." },
    });
    const events = hub.list();
    expect(events.map((e) => e["detail-type"])).toEqual(["ECS Service Action", "ECS Deployment State Change"]);
    expect(events[0]).toMatchObject({ resources, detail });
    // Deployment events have no clusterArn; the service ARN still places them in their cluster.
    expect(hub.list({ clusters: ["default"] })).toHaveLength(2);
    expect(hub.list({ clusters: ["other"] })).toHaveLength(0);
  });

  it("delivers to subscribers by filter and stops after unsubscribe", () => {
    const { hub, publishTask } = makeHub();
    const all: string[] = [];
    const prod: string[] = [];
    const offAll = hub.subscribe(undefined, (e) => all.push(e.resources[0]!));
    const offProd = hub.subscribe({ clusters: ["prod"], detailTypes: ["ECS Task State Change"] }, (e) => prod.push(e.resources[0]!));
    expect(hub.subscriberCount).toBe(2);
    publishTask(simpleTask("prod", "t1"));
    publishTask(simpleTask("dev", "t2"));
    offProd();
    publishTask(simpleTask("prod", "t3"));
    offAll();
    publishTask(simpleTask("prod", "t4"));
    expect(all.map((a) => a.split("/").pop())).toEqual(["t1", "t2", "t3"]);
    expect(prod.map((a) => a.split("/").pop())).toEqual(["t1"]);
    expect(hub.subscriberCount).toBe(0);
    expect(hub.list()).toHaveLength(4);
  });

  it("isolates a throwing subscriber and hands out frozen events", () => {
    const logged: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => logged.push(m) };
    const { hub, publishTask } = makeHub({}, { logger });
    const got: EcsEventEnvelope[] = [];
    hub.subscribe(undefined, () => {
      throw new Error("boom");
    });
    hub.subscribe(undefined, (e) => got.push(e));
    expect(() => publishTask(simpleTask("c", "t"))).not.toThrow();
    expect(got).toHaveLength(1);
    expect(logged).toContain("event subscriber threw");
    expect(Object.isFrozen(got[0]!.detail)).toBe(true);
  });

  it("next() resolves with the next matching event", async () => {
    const { hub, publishTask } = makeHub();
    const running = hub.next({ clusters: ["c"] }, (e) => (e.detail as { lastStatus?: string }).lastStatus === "RUNNING");
    publishTask(simpleTask("c", "t", "PENDING"));
    publishTask(simpleTask("other", "t", "RUNNING"));
    publishTask(simpleTask("c", "t", "RUNNING"));
    const e = await running;
    expect(e.resources[0]).toMatch(/task\/c\/t$/);
    expect(hub.subscriberCount).toBe(0);
  });

  it("close() stops consuming the bus and ends subscriptions", async () => {
    const { hub, publishTask } = makeHub();
    let closed = 0;
    hub.subscribe(undefined, () => {}, () => closed++);
    const pending = hub.next();
    hub.close();
    await expect(pending).rejects.toThrow("event hub closed");
    expect(closed).toBe(1);
    publishTask(simpleTask("c", "t"));
    expect(hub.list()).toHaveLength(0);
    expect(hub.subscriberCount).toBe(0);
  });

  it("honours the configured buffer size", () => {
    const { hub, publishTask } = makeHub({ bufferSize: 3 });
    for (let i = 0; i < 5; i++) publishTask(simpleTask("c", `t${i}`));
    expect(hub.list().map((e) => e.resources[0]!.split("/").pop())).toEqual(["t2", "t3", "t4"]);
  });
});

describe("events config", () => {
  it("fills defaults", () => {
    expect(parseEventsConfig(undefined)).toEqual({
      bufferSize: 10_000,
      webhooks: [],
      retry: { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 30000, multiplier: 2 },
      webhookTimeoutMs: 5000,
      maxPendingDeliveries: 1000,
      sseKeepAliveMs: 15000,
      allowUnsafeWebhookTargets: false,
      placementFailures: true,
      sseMaxClients: 64,
      sseMaxBufferBytes: 1024 * 1024,
    });
  });

  it("rejects bad webhooks with a path in the message", () => {
    expect(() => parseEventsConfig({ webhooks: [{ url: "ftp://x" }] })).toThrow(ConfigError);
    expect(() => parseEventsConfig({ webhooks: [{ url: "ftp://x" }] })).toThrow(/events\.webhooks\.0\.url/);
    expect(() => parseEventsConfig({ bufferSize: 0 })).toThrow(/events\.bufferSize/);
  });
});
