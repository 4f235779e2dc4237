import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Messages } from "../../src/errors/messages.js";
import { parseCapacityConfig } from "../../src/scheduler/capacity-shortages.js";
import { admin, AWSVPC, ok, runSpot, setup, spotSim, vcpuInUse } from "./helpers.js";

const CAPACITY = "Capacity is unavailable at this time. Please try again later or in a different availability zone.";
const START = Date.UTC(2026, 0, 1);

describe("Fargate capacity shortages (reference §7.2)", () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it("a FARGATE_SPOT shortage for a period gives the exact RunTask failure (no ARN), then ends on its own", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const put = await admin(sim, "PUT", "/_sim/capacity", { FARGATE_SPOT: { forMs: 60_000 } });
    expect(put.status).toBe(200);
    expect(put.body.shortages.FARGATE_SPOT).toMatchObject({ probability: 1, untilMs: START + 60_000, active: true });

    const out = await runSpot(sim, cluster, family, 2);
    expect(Messages.capacityUnavailable).toBe(CAPACITY);
    expect(out).toEqual({ tasks: [], failures: [{ reason: CAPACITY }, { reason: CAPACITY }] });
    expect(await vcpuInUse(sim, "spot")).toBe(0);
    // On-demand is unaffected.
    const od = await ok(sim, "RunTask", { cluster, taskDefinition: family, launchType: "FARGATE", networkConfiguration: AWSVPC });
    expect(od.tasks).toHaveLength(1);

    await sim.advanceClock(60_000);
    expect((await admin(sim, "GET", "/_sim/capacity")).body.shortages.FARGATE_SPOT.active).toBe(false);
    const later = await runSpot(sim, cluster, family);
    expect(later.failures).toEqual([]);
    expect(later.tasks[0].capacityProviderName).toBe("FARGATE_SPOT");
    expect((await admin(sim, "GET", "/_sim/capacity")).body.refused).toEqual({ FARGATE: 0, FARGATE_SPOT: 2 });
  });

  it("never falls back from spot to on-demand: a mixed strategy places only its FARGATE share", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    sim.simulator.capacity.set({ FARGATE_SPOT: {} });
    const out = await ok(sim, "RunTask", {
      cluster,
      taskDefinition: family,
      count: 8,
      capacityProviderStrategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 0 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
      networkConfiguration: AWSVPC,
    });
    expect(out.tasks.map((t: any) => t.capacityProviderName)).toEqual(["FARGATE"]);
    expect(out.failures).toEqual(Array(7).fill({ reason: CAPACITY }));
    expect(await vcpuInUse(sim, "on-demand")).toBe(1);
  });

  it("a shortage with a probability is drawn from the seed: the same seed refuses the same launches", async () => {
    const patterns: Array<Array<[number, number]>> = [];
    for (let run = 0; run < 2; run++) {
      sim = await spotSim({ seed: 5, capacity: { FARGATE_SPOT: { probability: 0.5 } } });
      const { cluster, family } = await setup(sim);
      const pattern: Array<[number, number]> = [];
      for (let i = 0; i < 4; i++) {
        const out = await runSpot(sim, cluster, family, 10);
        for (const f of out.failures) expect(f).toEqual({ reason: CAPACITY });
        pattern.push([out.tasks.length, out.failures.length]);
      }
      patterns.push(pattern);
      const refused = (await admin(sim, "GET", "/_sim/capacity")).body.refused.FARGATE_SPOT;
      expect(refused).toBeGreaterThan(5);
      expect(refused).toBeLessThan(35);
      await sim.close();
    }
    expect(patterns[1]).toEqual(patterns[0]);
  });

  it("FARGATE shortages come from config too, and cover the FARGATE launch type; until takes a time", async () => {
    sim = await spotSim({ capacity: { FARGATE: { until: "2026-01-01T00:10:00Z" } } });
    const { cluster, family } = await setup(sim);
    const od = await ok(sim, "RunTask", { cluster, taskDefinition: family, launchType: "FARGATE", networkConfiguration: AWSVPC });
    expect(od).toEqual({ tasks: [], failures: [{ reason: CAPACITY }] });
    expect((await runSpot(sim, cluster, family)).tasks).toHaveLength(1);
    await sim.advanceClock(10 * 60_000);
    const after = await ok(sim, "RunTask", { cluster, taskDefinition: family, launchType: "FARGATE", networkConfiguration: AWSVPC });
    expect(after.tasks).toHaveLength(1);
  });

  it("can be scoped to one account or Region, cleared per provider, cleared wholesale, and reset to the config", async () => {
    sim = await spotSim({ capacity: { FARGATE_SPOT: { probability: 1 } } });
    const { cluster, family } = await setup(sim);
    await admin(sim, "PUT", "/_sim/capacity", { FARGATE_SPOT: { region: "eu-west-1" } });
    expect((await runSpot(sim, cluster, family)).tasks).toHaveLength(1);
    await admin(sim, "PUT", "/_sim/capacity", { FARGATE_SPOT: { account: "000000000000" } });
    expect((await runSpot(sim, cluster, family)).failures).toEqual([{ reason: CAPACITY }]);
    await admin(sim, "PUT", "/_sim/capacity", { FARGATE: { probability: 1 }, FARGATE_SPOT: null });
    expect(Object.keys((await admin(sim, "GET", "/_sim/capacity")).body.shortages)).toEqual(["FARGATE"]);
    expect((await runSpot(sim, cluster, family)).tasks).toHaveLength(1);
    const cleared = await admin(sim, "DELETE", "/_sim/capacity");
    expect(cleared.body.shortages).toEqual({});
    await sim.reset();
    expect(Object.keys((await admin(sim, "GET", "/_sim/capacity")).body.shortages)).toEqual(["FARGATE_SPOT"]);
  });

  it("rejects bad shortages with a 400 naming the field", async () => {
    sim = await spotSim();
    const unknown = await admin(sim, "PUT", "/_sim/capacity", { EC2: { probability: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/EC2/);
    const both = await admin(sim, "PUT", "/_sim/capacity", { FARGATE_SPOT: { forMs: 1, until: 5 } });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/either until or forMs/);
    const p = await admin(sim, "PUT", "/_sim/capacity", { FARGATE_SPOT: { probability: 1.5 } });
    expect(p.status).toBe(400);
    expect(p.body.message).toMatch(/FARGATE_SPOT\.probability/);
    expect(() => parseCapacityConfig({ FARGATE_SPOT: { until: "tomorrow" } })).toThrow(/until/);
  });
});
