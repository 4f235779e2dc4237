import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Messages } from "../../src/errors/messages.js";
import { placeTasks, targetSplit } from "../../src/scheduler/placement.js";
import { AWSVPC, call, ok, setup, spotSim, vcpuInUse } from "./helpers.js";

const countBy = (providers: string[]) =>
  providers.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p]: (acc[p] ?? 0) + 1 }), {});

describe("capacity provider strategy split (reference §9)", () => {
  it("FARGATE base 1 + FARGATE_SPOT weight 3: 8 tasks are 1 + 7, deterministically", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 0 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    const first = placeTasks(strategy, 8);
    expect(countBy(first)).toEqual({ FARGATE: 1, FARGATE_SPOT: 7 });
    for (let i = 0; i < 5; i++) expect(placeTasks(strategy, 8)).toEqual(first);
  });

  it("with FARGATE weight 1 the 7 after the base split 1:3 by largest remainder (2 + 5)", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    // 7 x 1/4 = 1.75 and 7 x 3/4 = 5.25: floors 1 + 5, the larger remainder (FARGATE) takes the last.
    expect(Object.fromEntries(targetSplit(strategy, 8))).toEqual({ FARGATE: 3, FARGATE_SPOT: 5 });
    expect(countBy(placeTasks(strategy, 8))).toEqual({ FARGATE: 3, FARGATE_SPOT: 5 });
  });

  it("equal remainders go to the provider listed first; exact ratios stay exact", () => {
    const strategy = [
      { capacityProvider: "FARGATE", weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ];
    expect(Object.fromEntries(targetSplit(strategy, 3))).toEqual({ FARGATE: 2, FARGATE_SPOT: 1 });
    const odd = [
      { capacityProvider: "FARGATE", weight: 7 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    expect(Object.fromEntries(targetSplit(odd, 10))).toEqual({ FARGATE: 7, FARGATE_SPOT: 3 });
    expect(Object.fromEntries(targetSplit(odd, 5))).toEqual({ FARGATE: 4, FARGATE_SPOT: 1 });
  });

  it("weight-0 providers get nothing beyond their base; a lone weight-0 provider takes everything", () => {
    expect(
      countBy(placeTasks([{ capacityProvider: "FARGATE", weight: 0 }, { capacityProvider: "FARGATE_SPOT", weight: 2 }], 5)),
    ).toEqual({ FARGATE_SPOT: 5 });
    expect(countBy(placeTasks([{ capacityProvider: "FARGATE_SPOT", weight: 0 }], 4))).toEqual({ FARGATE_SPOT: 4 });
    expect(
      countBy(placeTasks([{ capacityProvider: "FARGATE", base: 10, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }], 4)),
    ).toEqual({ FARGATE: 4 });
  });

  it("a growing owner keeps its split: existing tasks count towards the targets", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    const existing = new Map([
      ["FARGATE", 1],
      ["FARGATE_SPOT", 0],
    ]);
    expect(countBy(placeTasks(strategy, 4, existing))).toEqual({ FARGATE_SPOT: 3, FARGATE: 1 });
  });
});

describe("strategies through RunTask", () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it("RunTask count 8 places 1 + 7, records capacityProviderName and charges each vCPU class", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
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
    expect(out.failures).toEqual([]);
    expect(out.tasks).toHaveLength(8);
    expect(countBy(out.tasks.map((t: any) => t.capacityProviderName))).toEqual({ FARGATE: 1, FARGATE_SPOT: 7 });
    expect(out.tasks.every((t: any) => t.launchType === "FARGATE")).toBe(true);
    expect(await vcpuInUse(sim, "on-demand")).toBe(1);
    expect(await vcpuInUse(sim, "spot")).toBe(7);
  });

  it("uses the cluster's default strategy when the request names neither a strategy nor a launch type", async () => {
    sim = await spotSim();
    await ok(sim, "CreateCluster", {
      clusterName: "dflt",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    await setup(sim, { cluster: "other" });
    const out = await ok(sim, "RunTask", { cluster: "dflt", taskDefinition: "job", count: 2, networkConfiguration: AWSVPC });
    expect(out.tasks.map((t: any) => t.capacityProviderName)).toEqual(["FARGATE_SPOT", "FARGATE_SPOT"]);
  });

  it("refuses a launch type with a strategy, and a provider the cluster does not have, with the reference's texts", async () => {
    sim = await spotSim();
    await ok(sim, "CreateCluster", { clusterName: "od-only", capacityProviders: ["FARGATE"] });
    await setup(sim);
    const both = await call(sim, "RunTask", {
      cluster: "spot",
      taskDefinition: "job",
      launchType: "FARGATE",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: AWSVPC,
    });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ __type: "InvalidParameterException", message: Messages.launchTypeAndStrategy });
    const unassociated = await call(sim, "RunTask", {
      cluster: "od-only",
      taskDefinition: "job",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: AWSVPC,
    });
    expect(unassociated.status).toBe(400);
    expect(unassociated.body).toMatchObject({
      __type: "InvalidParameterException",
      message: Messages.capacityProviderNotAssociated,
    });
  });

  it("PutClusterCapacityProviders refuses to remove a provider tasks use (ResourceInUseException), then allows it once they stop", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const run = await ok(sim, "RunTask", {
      cluster,
      taskDefinition: family,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: AWSVPC,
    });
    await sim.advanceClock(1000);
    const refused = await call(sim, "PutClusterCapacityProviders", {
      cluster,
      capacityProviders: ["FARGATE"],
      defaultCapacityProviderStrategy: [],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe("ResourceInUseException");
    expect(refused.body.message).toBe(Messages.capacityProviderInUse);
    // Nothing changed.
    const before = await ok(sim, "DescribeClusters", { clusters: [cluster] });
    expect(before.clusters[0].capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);

    await ok(sim, "StopTask", { cluster, task: run.tasks[0].taskArn });
    await sim.advanceClock(60_000);
    const replaced = await ok(sim, "PutClusterCapacityProviders", {
      cluster,
      capacityProviders: ["FARGATE"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
    });
    expect(replaced.cluster.capacityProviders).toEqual(["FARGATE"]);
    expect(replaced.cluster.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
  });
});
