import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { ok } from "../helpers/sim.js";

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const SCENARIO = {
  name: "instance-replacement",
  config: { runtime: "simulated", clock: "virtual", seed: 11 },
  world: {
    clusters: [{ clusterName: "prod" }],
    containerInstances: [{ cluster: "prod", instanceType: "m5.large", count: 3 }],
  },
  timeline: [
    { at: "1m", drainInstances: { cluster: "prod", availabilityZone: "us-east-1a" } },
    { at: "2m", terminateInstances: { cluster: "prod", availabilityZone: "us-east-1a" } },
    { at: "3m", launchInstances: { cluster: "prod", instanceType: "m5.large", availabilityZone: "us-east-1a" } },
  ],
};

async function statuses(s: RunningSimulator): Promise<string[]> {
  const res = await s.simulator.app.inject({ method: "GET", url: "/_sim/container-instances?cluster=prod" });
  return JSON.parse(res.body).containerInstances.map((i: any) => `${i.availabilityZone}:${i.status}`);
}

describe("container instances in scenario files", () => {
  it("registers the world's instances across zones, then drains, terminates and replaces one on the timeline", async () => {
    sim = await startSimulator({ scenario: SCENARIO });
    expect(await statuses(sim)).toEqual(["us-east-1a:ACTIVE", "us-east-1b:ACTIVE", "us-east-1c:ACTIVE"]);
    await sim.simulator.advanceClock(60_000);
    expect((await statuses(sim))[0]).toBe("us-east-1a:DRAINING");
    await sim.simulator.advanceClock(60_000);
    expect((await statuses(sim))[0]).toBe("us-east-1a:INACTIVE");
    await sim.simulator.advanceClock(60_000);
    expect(await statuses(sim)).toEqual(["us-east-1a:INACTIVE", "us-east-1b:ACTIVE", "us-east-1c:ACTIVE", "us-east-1a:ACTIVE"]);
    const listed = await ok(sim, "ListContainerInstances", { cluster: "prod" });
    expect(listed.containerInstanceArns).toHaveLength(3);
  });

  it("names the world entry that failed", async () => {
    const bad = { ...SCENARIO, world: { clusters: [], containerInstances: [{ cluster: "nowhere", instanceType: "m5.large" }] } };
    await expect(startSimulator({ scenario: bad })).rejects.toThrow(/world\.containerInstances\[0\]/);
  });
});
