import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EventsConfigInput } from "../../src/events/config.js";
import type { DeliveryOutcome } from "../../src/events/webhooks.js";
import { backoffMs, isRetryable } from "../../src/events/webhooks.js";
import { AsyncQueue } from "./async-queue.js";
import { makeHub, simpleTask, type HubKit } from "./fixtures.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A loopback receiver answering with the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; requests: AsyncQueue<Received>; count: () => number; server: Server }> {
  const requests = new AsyncQueue<Received>();
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = statuses[Math.min(n, statuses.length - 1)]!;
      n++;
      requests.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, count: () => n, server };
}

const servers: Server[] = [];
const hubs: HubKit[] = [];

afterEach(async () => {
  for (const k of hubs.splice(0)) k.hub.close();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

function hubWith(config: EventsConfigInput): HubKit & { outcomes: AsyncQueue<DeliveryOutcome> } {
  const kit = makeHub(config);
  hubs.push(kit);
  const outcomes = new AsyncQueue<DeliveryOutcome>();
  kit.hub.onWebhookOutcome(outcomes.push);
  return { ...kit, outcomes };
}

describe("webhooks", () => {
  it("retries a failed POST after the backoff, on the injected clock", async () => {
    const rx = await receiver([500, 204]);
    const { hub, clock, outcomes, publishTask } = hubWith({
      webhooks: [{ url: `${rx.url}/hook`, headers: { authorization: "Bearer t" } }],
      retry: { initialDelayMs: 1_000, maxAttempts: 3 },
    });
    publishTask(simpleTask("prod", "t1"));
    const event = hub.list()[0]!;

    const first = await rx.requests.next();
    expect(first.path).toBe("/hook");
    expect(first.body).toEqual(event);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.headers["authorization"]).toBe("Bearer t");
    expect(first.headers["x-ecs-sim-event-id"]).toBe(event.id);
    expect(first.headers["x-ecs-sim-attempt"]).toBe("1");
    expect(await outcomes.next()).toEqual({ url: `${rx.url}/hook`, eventId: event.id, attempt: 1, ok: false, status: 500, retryInMs: 1_000 });
    expect(hub.pendingWebhookDeliveries()).toBe(1);

    await clock.advance(999);
    expect(rx.count()).toBe(1);
    await clock.advance(1);
    const second = await rx.requests.next();
    expect(second.body).toEqual(event);
    expect(second.headers["x-ecs-sim-attempt"]).toBe("2");
    expect(await outcomes.next()).toEqual({ url: `${rx.url}/hook`, eventId: event.id, attempt: 2, ok: true, status: 204 });
    expect(hub.pendingWebhookDeliveries()).toBe(0);
  });

  it("backs off exponentially and gives up after maxAttempts", async () => {
    const rx = await receiver([503]);
    const { clock, outcomes, publishTask, hub } = hubWith({
      webhooks: [{ url: rx.url }],
      retry: { initialDelayMs: 100, multiplier: 3, maxDelayMs: 250, maxAttempts: 3 },
    });
    publishTask(simpleTask("prod", "t1"));
    expect(await outcomes.next()).toMatchObject({ attempt: 1, retryInMs: 100 });
    await clock.advance(100);
    expect(await outcomes.next()).toMatchObject({ attempt: 2, retryInMs: 250 });
    await clock.advance(250);
    expect(await outcomes.next()).toMatchObject({ attempt: 3, ok: false, status: 503, gaveUp: true });
    expect(rx.count()).toBe(3);
    expect(hub.pendingWebhookDeliveries()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("does not retry a 4xx other than 408/429", async () => {
    const rx = await receiver([400]);
    const { outcomes, publishTask, clock } = hubWith({ webhooks: [{ url: rx.url }] });
    publishTask(simpleTask("prod", "t1"));
    expect(await outcomes.next()).toMatchObject({ attempt: 1, status: 400, gaveUp: true });
    expect(clock.pendingTimers()).toBe(0);
    expect(isRetryable(429)).toBe(true);
    expect(isRetryable(408)).toBe(true);
    expect(isRetryable(404)).toBe(false);
    expect(isRetryable(undefined)).toBe(true);
    expect(backoffMs({ initialDelayMs: 1000, multiplier: 2, maxDelayMs: 30000, maxAttempts: 9 }, 6)).toBe(30000);
  });

  it("sends each webhook only the detail-types and clusters it asked for", async () => {
    const rx = await receiver([200]);
    const { outcomes, publishTask, bus } = hubWith({
      webhooks: [
        { url: `${rx.url}/prod-tasks`, detailTypes: ["ECS Task State Change"], clusters: ["prod"] },
        { url: `${rx.url}/services`, detailTypes: ["ECS Service Action"] },
      ],
    });
    publishTask(simpleTask("dev", "t0"));
    publishTask(simpleTask("prod", "t1"));
    bus.publish("service.event", {
      account: "111122223333",
      region: "us-west-2",
      detailType: "ECS Service Action",
      resources: ["arn:aws:ecs:us-west-2:111122223333:service/dev/s"],
      detail: { eventType: "INFO", eventName: "SERVICE_STEADY_STATE", clusterArn: "arn:aws:ecs:us-west-2:111122223333:cluster/dev" },
    });
    const got = [await rx.requests.next(), await rx.requests.next()].map((r) => `${r.path} ${(r.body as { "detail-type": string })["detail-type"]}`);
    expect(got.sort()).toEqual(["/prod-tasks ECS Task State Change", "/services ECS Service Action"]);
    await outcomes.next();
    await outcomes.next();
    expect(rx.count()).toBe(2);
  });

  it("retries when the receiver is unreachable, and close() cancels pending retries", async () => {
    const rx = await receiver([200]);
    const deadUrl = rx.url;
    await new Promise<void>((resolve) => rx.server.close(() => resolve()));
    const { outcomes, publishTask, clock, hub } = hubWith({ webhooks: [{ url: deadUrl }], retry: { initialDelayMs: 50 } });
    publishTask(simpleTask("prod", "t1"));
    const o = await outcomes.next();
    expect(o).toMatchObject({ attempt: 1, ok: false, retryInMs: 50 });
    expect(o.error).toBeTruthy();
    expect(clock.pendingTimers()).toBe(1);
    hub.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("drops events beyond maxPendingDeliveries instead of growing without bound", async () => {
    const rx = await receiver([500]);
    const warnings: string[] = [];
    const kit = makeHub(
      { webhooks: [{ url: rx.url }], maxPendingDeliveries: 2, retry: { initialDelayMs: 10_000 } },
      { logger: { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) } },
    );
    hubs.push(kit);
    for (let i = 0; i < 5; i++) kit.publishTask(simpleTask("prod", `t${i}`));
    expect(kit.hub.pendingWebhookDeliveries()).toBe(2);
    expect(warnings.filter((w) => w === "webhook backlog full, dropping events")).toHaveLength(1);
    await rx.requests.next();
    await rx.requests.next();
  });
});
