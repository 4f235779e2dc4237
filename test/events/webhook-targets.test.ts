import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import { ConfigError } from "../../src/config.js";
import { parseEventsConfig, type EventsConfigInput } from "../../src/events/config.js";
import { EventHub } from "../../src/events/hub.js";
import type { DeliveryOutcome } from "../../src/events/webhooks.js";
import { startSimulator } from "../../src/index.js";
import { AWSVPC, FARGATE_DEF, ok } from "../helpers/sim.js";
import { ACCOUNT, REGION, simpleTask } from "./fixtures.js";

const hubs: EventHub[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) h.close();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A hub whose fetch records calls and whose resolver answers from a table. */
function hub(config: EventsConfigInput, names: Record<string, string[]> = {}) {
  const bus = new EventBus();
  const fetched: string[] = [];
  const h = new EventHub({
    bus,
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    random: new SeededRandom(1),
    logger: silentLogger,
    config,
    fetch: async (input) => {
      fetched.push(String(input));
      return new Response("ok", { status: 200 });
    },
    resolve: async (name) => names[name] ?? ["192.0.2.50"],
  });
  hubs.push(h);
  const outcome = new Promise<DeliveryOutcome>((resolve) => h.onWebhookOutcome(resolve));
  const publish = () => bus.publish("task.changed", { account: ACCOUNT, region: REGION, task: simpleTask("c", "t1") });
  return { h, fetched, outcome, publish };
}

describe("webhook targets", () => {
  it("refuses link-local and instance-metadata literals at startup, naming the setting", () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials/x", "http://[fd00:ec2::254]/", "http://[fe80::1]/"]) {
      expect(() => parseEventsConfig({ webhooks: [{ url }] }), url).toThrow(ConfigError);
      expect(() => parseEventsConfig({ webhooks: [{ url }] }), url).toThrow(/events\.allowUnsafeWebhookTargets/);
      expect(parseEventsConfig({ webhooks: [{ url }], allowUnsafeWebhookTargets: true }).webhooks[0]!.url).toBe(url);
    }
    expect(parseEventsConfig({ webhooks: [{ url: "http://192.0.2.1/hook" }] }).webhooks.length).toBe(1);
  });

  it("refuses a name that resolves to a metadata address, before any request", async () => {
    const k = hub({ webhooks: [{ url: "http://metadata.internal/hook" }] }, { "metadata.internal": ["169.254.169.254"] });
    k.publish();
    const o = await k.outcome;
    expect(o).toMatchObject({ ok: false, gaveUp: true, attempt: 1 });
    expect(o.error).toContain("169.254.169.254 is a link-local or instance-metadata address");
    expect(k.fetched).toEqual([]);
  });

  it("delivers to an ordinary address, and to a refused one when the setting allows", async () => {
    const normal = hub({ webhooks: [{ url: "http://receiver.example/hook" }] });
    normal.publish();
    expect((await normal.outcome).ok).toBe(true);
    const allowed = hub({ webhooks: [{ url: "http://metadata.internal/hook" }], allowUnsafeWebhookTargets: true }, { "metadata.internal": ["169.254.169.254"] });
    allowed.publish();
    expect((await allowed.outcome).ok).toBe(true);
    expect(allowed.fetched).toEqual(["http://metadata.internal/hook"]);
  });

  it("does not follow redirects (they could lead to a refused address)", async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(307, { location: "http://169.254.169.254/" }).end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const bus = new EventBus();
    const h = new EventHub({
      bus,
      clock: new VirtualClock(0),
      random: new SeededRandom(1),
      logger: silentLogger,
      config: { webhooks: [{ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }] },
    });
    hubs.push(h);
    const outcome = new Promise<DeliveryOutcome>((resolve) => h.onWebhookOutcome(resolve));
    bus.publish("task.changed", { account: ACCOUNT, region: REGION, task: simpleTask("c", "t1") });
    expect(await outcome).toMatchObject({ ok: false, status: 307, gaveUp: true });
    expect(hits).toBe(1);
  });

  it("refuses the simulator's own API, so an event cannot POST /_sim/reset", async () => {
    // Learn a free port, then point the webhook at the simulator that will listen on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const sim = await startSimulator({
      defaultLaunchType: "FARGATE",
      runtime: "simulated",
      port,
      quotas: { profile: "unlimited" },
      events: { webhooks: [{ url: `http://localhost:${port}/_sim/reset` }] },
    });
    try {
      const outcome = new Promise<DeliveryOutcome>((resolve) => sim.simulator.events.onWebhookOutcome(resolve));
      await ok(sim, "CreateCluster", {});
      await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
      await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
      const o = await outcome;
      expect(o).toMatchObject({ ok: false, gaveUp: true });
      expect(o.error).toContain(`this simulator's own API (port ${port})`);
      expect((await ok(sim, "ListTaskDefinitions")).taskDefinitionArns.length).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
