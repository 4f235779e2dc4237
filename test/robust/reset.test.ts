import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { VirtualClock } from "../../src/core/clock.js";
import { admin, AWSVPC, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

/** POST /_sim/reset means "as just started": every run-time change is undone. */
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await virtualSim({
    quotas: { profile: "aws-default", overrides: { vcpu: { spot: 4 } } },
    spot: { warningMs: 60_000 },
    capacity: { FARGATE_SPOT: { probability: 0.5 } },
    // Port 9 on loopback refuses at once: deliveries fail and wait for a retry timer.
    events: { webhooks: [{ url: "http://127.0.0.1:9/hook" }], retry: { maxAttempts: 5, initialDelayMs: 60_000 } },
  });
});
afterAll(async () => {
  await sim.close();
});

/** The settings views without their clock readings. */
async function settings(): Promise<unknown> {
  const capacity = (await admin(sim, "GET", "/_sim/capacity")).body;
  const spot = (await admin(sim, "GET", "/_sim/spot")).body;
  return {
    quotas: (await admin(sim, "GET", "/_sim/quotas")).body,
    spot: { warningMs: spot.warningMs, random: spot.random },
    capacity: Object.fromEntries(Object.entries(capacity.shortages).map(([k, v]: [string, any]) => [k, v.probability])),
  };
}

describe("POST /_sim/reset", () => {
  it("returns quotas, spot and capacity settings, the event log, webhooks and timers to the startup configuration", async () => {
    const startup = await settings();
    expect(startup).toMatchObject({ capacity: { FARGATE_SPOT: 0.5 }, spot: { warningMs: 60_000 } });

    expect((await admin(sim, "PUT", "/_sim/quotas", { vcpu: { spot: 1 }, region: "eu-west-1" })).status).toBe(200);
    expect((await admin(sim, "PUT", "/_sim/quotas", { buckets: { "cluster-read": { burst: 1 } } })).status).toBe(200);
    expect((await admin(sim, "PUT", "/_sim/spot", { warningMs: 5_000 })).status).toBe(200);
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "CreateService", { cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1, networkConfiguration: AWSVPC });
    await sim.advanceClock(1_000);
    const before = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, launchType: "FARGATE" });
    await sim.advanceClock(5_000);
    expect((await admin(sim, "PUT", "/_sim/capacity", { FARGATE: { probability: 1 }, FARGATE_SPOT: null })).status).toBe(200);
    expect((await admin(sim, "GET", "/_sim/events")).body.events.length).toBeGreaterThan(0);
    expect(await settings()).not.toEqual(startup);
    const clock = sim.simulator.ctx.clock as VirtualClock;
    expect(clock.pendingTimers()).toBeGreaterThan(0);
    expect(sim.simulator.events.pendingWebhookDeliveries()).toBeGreaterThan(0);

    const now = sim.simulator.ctx.clock.now();
    await admin(sim, "POST", "/_sim/reset");

    expect(await settings()).toEqual(startup);
    // The clock and the random streams carry on: time stays ordered, ids never repeat.
    expect(sim.simulator.ctx.clock.now()).toBe(now);
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const after = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, launchType: "FARGATE" });
    expect(after.tasks[0].taskArn).not.toBe(before.tasks[0].taskArn);
    await admin(sim, "POST", "/_sim/reset");
    expect((await admin(sim, "GET", "/_sim/events")).body.events).toEqual([]);
    expect(sim.simulator.events.pendingWebhookDeliveries()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect((await admin(sim, "GET", "/_sim/usage")).body).toMatchObject({ vcpu: [], buckets: [], registrationWindows: [] });
    expect((await admin(sim, "GET", "/_sim/throttles")).body.decisions).toEqual([]);
  });
});

describe("DELETE /_sim/quotas", () => {
  it("drops one run-time override and brings back the configured value", async () => {
    await admin(sim, "POST", "/_sim/reset");
    const configured = (await admin(sim, "GET", "/_sim/quotas")).body;
    expect(configured.effective.vcpu.spot).toBe(4);
    await admin(sim, "PUT", "/_sim/quotas", { vcpu: { spot: 1, onDemand: 2 } });
    await admin(sim, "PUT", "/_sim/quotas", { region: "eu-west-1", vcpu: { spot: 9 } });

    const dropped = await admin(sim, "DELETE", "/_sim/quotas/vcpu/spot");
    expect(dropped.status).toBe(200);
    expect(dropped.body.effective.vcpu).toEqual({ spot: 4, onDemand: 2 });
    // The Region layer is its own: untouched until named.
    expect((await admin(sim, "GET", "/_sim/quotas?region=eu-west-1")).body.effective.vcpu.spot).toBe(9);
    const regional = await admin(sim, "DELETE", "/_sim/quotas/vcpu?region=eu-west-1");
    expect(regional.body.effective.vcpu).toEqual({ spot: 4, onDemand: 2 });

    const all = await admin(sim, "DELETE", "/_sim/quotas");
    expect(all.body).toEqual(configured);
  });

  it("refuses a path that names no setting, in the admin error shape", async () => {
    const res = await admin(sim, "DELETE", "/_sim/quotas/nonsense");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "BadRequest", message: expect.stringContaining("nonsense") });
  });
});
