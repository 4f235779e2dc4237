import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { call, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { createDefaultCluster: false });

const ASG = (name: string) =>
  `arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/${name}`;
const CP_ARN = (name: string) => `arn:aws:ecs:us-east-1:000000000000:capacity-provider/${name}`;

async function create(name: string, group = name, extra: Record<string, unknown> = {}) {
  return ok(sim, "CreateCapacityProvider", { name, autoScalingGroupProvider: { autoScalingGroupArn: ASG(group), ...extra } });
}

describe("Auto Scaling group capacity providers", () => {
  it("creates with AWS's defaults filled in and describes it next to the Fargate ones", async () => {
    const res = await ok(sim, "CreateCapacityProvider", {
      name: "cp-one",
      autoScalingGroupProvider: { autoScalingGroupArn: ASG("g1"), managedScaling: { status: "ENABLED", targetCapacity: 80 } },
      tags: [{ key: "team", value: "a" }],
    });
    expect(res.capacityProvider).toEqual({
      capacityProviderArn: CP_ARN("cp-one"),
      name: "cp-one",
      status: "ACTIVE",
      autoScalingGroupProvider: {
        autoScalingGroupArn: ASG("g1"),
        managedScaling: { status: "ENABLED", targetCapacity: 80, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
        managedTerminationProtection: "DISABLED",
        managedDraining: "ENABLED",
      },
      tags: [{ key: "team", value: "a" }],
    });
    const all = await ok(sim, "DescribeCapacityProviders", {});
    expect(all.capacityProviders.map((p: { name: string }) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT", "cp-one"]);
    const named = await ok(sim, "DescribeCapacityProviders", { capacityProviders: [CP_ARN("cp-one"), "ghost"], include: ["TAGS"] });
    expect(named.capacityProviders[0].tags).toEqual([{ key: "team", value: "a" }]);
    expect(named.failures).toEqual([{ arn: "ghost", reason: "MISSING" }]);
    expect((await ok(sim, "ListTagsForResource", { resourceArn: CP_ARN("cp-one") })).tags).toEqual([{ key: "team", value: "a" }]);
    await ok(sim, "TagResource", { resourceArn: CP_ARN("cp-one"), tags: [{ key: "env", value: "dev" }] });
    await ok(sim, "UntagResource", { resourceArn: CP_ARN("cp-one"), tagKeys: ["team"] });
    expect((await ok(sim, "ListTagsForResource", { resourceArn: CP_ARN("cp-one") })).tags).toEqual([{ key: "env", value: "dev" }]);
  });

  it("refuses reserved prefixes, bad characters, a second provider of the name or of the group", async () => {
    for (const name of ["aws-x", "ECSthing", "fargate2", "has space", "x".repeat(256)]) {
      const res = await call(sim, "CreateCapacityProvider", { name, autoScalingGroupProvider: { autoScalingGroupArn: ASG("g") } });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("ClientException");
      expect(res.body.message).toMatch(/^The specified capacity provider name is invalid\. Up to 255 characters/);
    }
    await create("cp", "g");
    const dup = await call(sim, "CreateCapacityProvider", { name: "cp", autoScalingGroupProvider: { autoScalingGroupArn: ASG("other") } });
    expect(dup.body).toMatchObject({
      __type: "ClientException",
      message: "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
    });
    const sameGroup = await call(sim, "CreateCapacityProvider", { name: "cp2", autoScalingGroupProvider: { autoScalingGroupArn: "g" } });
    expect(sameGroup.body.message).toBe(
      "The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.",
    );
    const range = await call(sim, "CreateCapacityProvider", {
      name: "cp3",
      autoScalingGroupProvider: { autoScalingGroupArn: ASG("g3"), managedScaling: { targetCapacity: 0 } },
    });
    expect(range.status).toBe(400);
  });

  it("updates through UPDATE_IN_PROGRESS to UPDATE_COMPLETE and refuses a second update meanwhile", async () => {
    await create("cp", "g", { managedScaling: { status: "ENABLED", targetCapacity: 100 } });
    const res = await ok(sim, "UpdateCapacityProvider", { name: "cp", autoScalingGroupProvider: { managedScaling: { targetCapacity: 50 } } });
    expect(res.capacityProvider.updateStatus).toBe("UPDATE_IN_PROGRESS");
    expect(res.capacityProvider.autoScalingGroupProvider.managedScaling).toMatchObject({ status: "ENABLED", targetCapacity: 50 });
    const busy = await call(sim, "UpdateCapacityProvider", { name: "cp", autoScalingGroupProvider: { managedDraining: "DISABLED" } });
    expect(busy.body.__type).toBe("UpdateInProgressException");
    await sim.advanceClock(1000);
    const after = await ok(sim, "DescribeCapacityProviders", { capacityProviders: ["cp"] });
    expect(after.capacityProviders[0].updateStatus).toBe("UPDATE_COMPLETE");
    const fargate = await call(sim, "UpdateCapacityProvider", { name: "FARGATE", autoScalingGroupProvider: {} });
    expect(fargate.status).toBe(400);
  });

  it("fails the delete with DELETE_FAILED while a cluster uses it, then deletes it", async () => {
    await create("cp", "g");
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["cp"] });
    const failed = await ok(sim, "DeleteCapacityProvider", { capacityProvider: "cp" });
    expect(failed.capacityProvider).toMatchObject({
      status: "ACTIVE",
      updateStatus: "DELETE_FAILED",
      updateStatusReason:
        "The capacity provider cannot be deleted because it is associated with cluster: c. Remove the capacity provider from the cluster and try again.",
    });
    await ok(sim, "PutClusterCapacityProviders", { cluster: "c", capacityProviders: [], defaultCapacityProviderStrategy: [] });
    const deleted = await ok(sim, "DeleteCapacityProvider", { capacityProvider: CP_ARN("cp") });
    expect(deleted.capacityProvider).toMatchObject({ status: "INACTIVE", updateStatus: "DELETE_IN_PROGRESS" });
    await sim.advanceClock(1000);
    const shown = await ok(sim, "DescribeCapacityProviders", { capacityProviders: ["cp"] });
    expect(shown.capacityProviders[0]).toMatchObject({ status: "INACTIVE", updateStatus: "DELETE_COMPLETE" });
    expect((await ok(sim, "DescribeCapacityProviders", {})).capacityProviders).toHaveLength(2);
    const again = await call(sim, "DeleteCapacityProvider", { capacityProvider: "cp" });
    expect(again.body.__type).toBe("ClientException");
    const inactive = await call(sim, "PutClusterCapacityProviders", { cluster: "c", capacityProviders: ["cp"], defaultCapacityProviderStrategy: [] });
    expect(inactive.body).toMatchObject({
      __type: "InvalidParameterException",
      message: "The specified capacity provider 'cp' is not in an ACTIVE state. Specify a valid capacity provider and try again.",
    });
    // The name and the group are free again.
    await create("cp", "g");
  });

  it("associates with a cluster, refusing strategies that mix Fargate and Auto Scaling group providers", async () => {
    await create("cp", "g");
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const mixed = await call(sim, "PutClusterCapacityProviders", {
      cluster: "c",
      capacityProviders: ["FARGATE", "cp"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "cp", weight: 1 }],
    });
    expect(mixed.body).toMatchObject({
      __type: "InvalidParameterException",
      message:
        "A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.",
    });
    const put = await ok(sim, "PutClusterCapacityProviders", {
      cluster: "c",
      capacityProviders: ["FARGATE", "cp"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "cp", weight: 1, base: 1 }],
    });
    expect(put.cluster.capacityProviders).toEqual(["FARGATE", "cp"]);
    expect(put.cluster.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "cp", weight: 1, base: 1 }]);
    const unknown = await call(sim, "PutClusterCapacityProviders", { cluster: "c", capacityProviders: ["nope"], defaultCapacityProviderStrategy: [] });
    expect(unknown.body.__type).toBe("InvalidParameterException");
    await ok(sim, "CreateCluster", { clusterName: "d" });
    const twice = await call(sim, "PutClusterCapacityProviders", { cluster: "d", capacityProviders: ["cp"], defaultCapacityProviderStrategy: [] });
    expect(twice.body.__type).toBe("InvalidParameterException");
    const mixedCreate = await call(sim, "CreateCluster", {
      clusterName: "e",
      capacityProviders: ["FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    expect(mixedCreate.status).toBe(200);
  });

  it("refuses a RunTask or CreateService strategy that mixes Fargate and Auto Scaling group providers", async () => {
    await create("cp", "g");
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["FARGATE", "cp"] });
    await ok(sim, "RegisterTaskDefinition", { family: "web", containerDefinitions: [{ name: "app", image: "nginx", memory: 128 }] });
    const strategy = [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "cp", weight: 1 }];
    for (const [op, body] of [
      ["RunTask", { cluster: "c", taskDefinition: "web", capacityProviderStrategy: strategy }],
      ["CreateService", { cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1, capacityProviderStrategy: strategy }],
    ] as const) {
      const res = await call(sim, op, body);
      expect(res.body.message).toBe(
        "A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.",
      );
    }
  });

  it("refuses to remove a provider from its cluster while a service's strategy names it", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    await ok(sim, "RegisterTaskDefinition", {
      family: "f",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "nginx" }],
    });
    await ok(sim, "CreateService", {
      cluster: "c",
      serviceName: "s",
      taskDefinition: "f",
      desiredCount: 0,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
    });
    const res = await call(sim, "PutClusterCapacityProviders", { cluster: "c", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] });
    expect(res.body).toMatchObject({ __type: "ResourceInUseException", message: "The specified capacity provider is in use and cannot be removed." });
  });

  it("pages DescribeCapacityProviders", async () => {
    for (let i = 0; i < 3; i++) await create(`cp${i}`, `g${i}`);
    const first = await ok(sim, "DescribeCapacityProviders", { maxResults: 3 });
    expect(first.capacityProviders.map((p: { name: string }) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT", "cp0"]);
    const second = await ok(sim, "DescribeCapacityProviders", { maxResults: 3, nextToken: first.nextToken });
    expect(second.capacityProviders.map((p: { name: string }) => p.name)).toEqual(["cp1", "cp2"]);
    expect(second.nextToken).toBeUndefined();
  });
});
