import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, call, FARGATE_DEF, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
// As on AWS: an omitted cluster needs an existing `default`.
useVirtualSim((s) => (sim = s), { createDefaultCluster: false });

const ARN = (name: string) => `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`;

describe("clusters", () => {
  it("creates idempotently by name and describes with live counts", async () => {
    const first = await ok(sim, "CreateCluster", { clusterName: "prod", tags: [{ key: "env", value: "prod" }] });
    expect(first.cluster).toMatchObject({
      clusterArn: ARN("prod"),
      clusterName: "prod",
      status: "ACTIVE",
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      registeredContainerInstancesCount: 0,
      settings: [{ name: "containerInsights", value: "disabled" }],
      tags: [{ key: "env", value: "prod" }],
    });
    const again = await ok(sim, "CreateCluster", { clusterName: "prod" });
    expect(again.cluster.clusterArn).toBe(ARN("prod"));
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([ARN("prod")]);
  });

  it("reports MISSING failures and honours include", async () => {
    await ok(sim, "CreateCluster", { clusterName: "a", tags: [{ key: "k", value: "v" }] });
    const res = await ok(sim, "DescribeClusters", { clusters: ["a", "ghost"], include: ["TAGS", "SETTINGS", "STATISTICS"] });
    expect(res.clusters).toHaveLength(1);
    expect(res.clusters[0].tags).toEqual([{ key: "k", value: "v" }]);
    expect(res.clusters[0].settings).toEqual([{ name: "containerInsights", value: "disabled" }]);
    expect(res.clusters[0].statistics).toContainEqual({ name: "runningFargateTasksCount", value: "0" });
    expect(res.failures).toEqual([{ arn: ARN("ghost"), reason: "MISSING" }]);
    const plain = await ok(sim, "DescribeClusters", { clusters: [ARN("a")] });
    expect(plain.clusters[0].tags).toEqual([]);
    expect(plain.clusters[0]).not.toHaveProperty("settings");
  });

  it("counts pending and running tasks live", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", count: 2, networkConfiguration: AWSVPC });
    let cluster = (await ok(sim, "DescribeClusters", { clusters: ["c"] })).clusters[0];
    expect([cluster.pendingTasksCount, cluster.runningTasksCount]).toEqual([2, 0]);
    await sim.advanceClock(1000);
    cluster = (await ok(sim, "DescribeClusters", { clusters: ["c"] })).clusters[0];
    expect([cluster.pendingTasksCount, cluster.runningTasksCount]).toEqual([0, 2]);
  });

  it("refuses to delete a cluster with tasks, then deletes it to INACTIVE", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC });
    const refused = await call(sim, "DeleteCluster", { cluster: "c" });
    expect(refused.body.__type).toBe("ClusterContainsTasksException");
    await ok(sim, "StopTask", { cluster: "c", task: run.tasks[0].taskArn });
    await sim.advanceClock(1000);
    const deleted = await ok(sim, "DeleteCluster", { cluster: "c" });
    expect(deleted.cluster.status).toBe("INACTIVE");
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
    const described = await ok(sim, "DescribeClusters", { clusters: ["c"] });
    expect(described.clusters[0].status).toBe("INACTIVE");
    expect((await call(sim, "ListTasks", { cluster: "c" })).body).toEqual({ __type: "ClusterNotFoundException", message: "Cluster not found." });
  });

  it("answers ClusterNotFoundException with the exact message", async () => {
    const res = await call(sim, "ListTasks", { cluster: "nope" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "ClusterNotFoundException", message: "Cluster not found." });
  });

  it("answers ClusterNotFoundException, creating nothing, when an operation omits cluster and `default` does not exist", async () => {
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const notFound = { __type: "ClusterNotFoundException", message: "Cluster not found." };
    const calls: [string, Record<string, unknown>][] = [
      ["RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC }],
      ["CreateService", { serviceName: "s", taskDefinition: "web", desiredCount: 1, networkConfiguration: AWSVPC }],
      ["ListTasks", {}],
      ["ListServices", {}],
      ["DescribeTasks", { tasks: ["0123456789abcdef0123456789abcdef"] }],
      ["StopTask", { task: "0123456789abcdef0123456789abcdef" }],
    ];
    for (const [op, body] of calls) {
      const res = await call(sim, op, body);
      expect([op, res.status, res.body]).toEqual([op, 400, notFound]);
    }
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
    expect((await ok(sim, "DescribeClusters", {})).failures).toEqual([{ arn: ARN("default"), reason: "MISSING" }]);
  });

  it("uses `default` when an operation omits cluster and it exists (CreateCluster without a name makes it)", async () => {
    expect((await ok(sim, "CreateCluster", {})).cluster.clusterArn).toBe(ARN("default"));
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
    expect(run.tasks[0].clusterArn).toBe(ARN("default"));
    expect((await ok(sim, "ListTasks", {})).taskArns).toEqual([run.tasks[0].taskArn]);
  });

  it("updates settings and configuration", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const updated = await ok(sim, "UpdateClusterSettings", { cluster: "c", settings: [{ name: "containerInsights", value: "enabled" }] });
    expect(updated.cluster.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    const cfg = await ok(sim, "UpdateCluster", { cluster: "c", configuration: { executeCommandConfiguration: { logging: "DEFAULT" } } });
    expect(cfg.cluster.configuration).toEqual({ executeCommandConfiguration: { logging: "DEFAULT" } });
  });

  it("associates capacity providers, replacing the whole list and default strategy", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["FARGATE"] });
    const put = await ok(sim, "PutClusterCapacityProviders", {
      cluster: "c",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    expect(put.cluster.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(put.cluster.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    const replaced = await ok(sim, "PutClusterCapacityProviders", { cluster: "c", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] });
    expect(replaced.cluster.capacityProviders).toEqual(["FARGATE"]);
    expect(replaced.cluster.defaultCapacityProviderStrategy).toEqual([]);
    const unassociated = await call(sim, "PutClusterCapacityProviders", {
      cluster: "c",
      capacityProviders: ["FARGATE"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    expect(unassociated.body.__type).toBe("InvalidParameterException");
  });

  it("describes FARGATE and FARGATE_SPOT capacity providers", async () => {
    const res = await ok(sim, "DescribeCapacityProviders");
    expect(res.capacityProviders.map((p: any) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(res.capacityProviders[1].capacityProviderArn).toBe("arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE_SPOT");
    const missing = await ok(sim, "DescribeCapacityProviders", { capacityProviders: ["MY_ASG"] });
    expect(missing.failures).toEqual([{ arn: "MY_ASG", reason: "MISSING" }]);
  });

  it("paginates ListClusters", async () => {
    for (const n of ["a", "b", "c"]) await ok(sim, "CreateCluster", { clusterName: n });
    const p1 = await ok(sim, "ListClusters", { maxResults: 2 });
    expect(p1.clusterArns).toEqual([ARN("a"), ARN("b")]);
    const p2 = await ok(sim, "ListClusters", { maxResults: 2, nextToken: p1.nextToken });
    expect(p2).toEqual({ clusterArns: [ARN("c")] });
  });
});

describe("tags and account settings", () => {
  it("tags, lists and untags clusters, task definitions and tasks", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "TagResource", { resourceArn: ARN("c"), tags: [{ key: "a", value: "1" }, { key: "b", value: "2" }] });
    await ok(sim, "UntagResource", { resourceArn: ARN("c"), tagKeys: ["a"] });
    expect((await ok(sim, "ListTagsForResource", { resourceArn: ARN("c") })).tags).toEqual([{ key: "b", value: "2" }]);
    const td = (await ok(sim, "RegisterTaskDefinition", FARGATE_DEF)).taskDefinition;
    await ok(sim, "TagResource", { resourceArn: td.taskDefinitionArn, tags: [{ key: "x", value: "y" }] });
    expect((await ok(sim, "ListTagsForResource", { resourceArn: td.taskDefinitionArn })).tags).toEqual([{ key: "x", value: "y" }]);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, tags: [{ key: "t", value: "1" }] });
    expect((await ok(sim, "ListTagsForResource", { resourceArn: run.tasks[0].taskArn })).tags).toEqual([{ key: "t", value: "1" }]);
  });

  it("refuses unknown resources, reserved keys and more than 50 tags", async () => {
    const missing = await call(sim, "TagResource", { resourceArn: ARN("ghost"), tags: [{ key: "a", value: "b" }] });
    expect(missing.body.__type).toBe("ResourceNotFoundException");
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const reserved = await call(sim, "TagResource", { resourceArn: ARN("c"), tags: [{ key: "aws:x", value: "b" }] });
    expect(reserved.body.__type).toBe("InvalidParameterException");
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect((await call(sim, "TagResource", { resourceArn: ARN("c"), tags: many })).body.__type).toBe("InvalidParameterException");
    expect((await call(sim, "TagResource", { resourceArn: "not-an-arn", tags: [] })).status).toBe(400);
  });

  it("puts, lists and deletes account settings", async () => {
    const put = await ok(sim, "PutAccountSetting", { name: "containerInsights", value: "enabled" });
    expect(put.setting).toMatchObject({ name: "containerInsights", value: "enabled", principalArn: "arn:aws:iam::000000000000:root" });
    expect((await ok(sim, "ListAccountSettings", { name: "containerInsights" })).settings).toHaveLength(1);
    const effective = await ok(sim, "ListAccountSettings", { effectiveSettings: true, maxResults: 100 });
    expect(effective.settings.find((s: any) => s.name === "taskLongArnFormat").value).toBe("enabled");
    await ok(sim, "DeleteAccountSetting", { name: "containerInsights" });
    expect((await ok(sim, "ListAccountSettings", { name: "containerInsights" })).settings).toEqual([]);
    await ok(sim, "PutAccountSettingDefault", { name: "containerInsights", value: "enhanced" });
    const dflt = await ok(sim, "ListAccountSettings", { name: "containerInsights", effectiveSettings: true });
    expect(dflt.settings[0].value).toBe("enhanced");
    expect((await call(sim, "PutAccountSetting", { name: "nonsense", value: "x" })).body.__type).toBe("InvalidParameterException");
  });
});

describe("createDefaultCluster: true", () => {
  let lenient: RunningSimulator;
  useVirtualSim((s) => (lenient = s), { createDefaultCluster: true });

  it("creates `default` on first use when an operation omits cluster", async () => {
    await ok(lenient, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(lenient, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
    expect(run.tasks[0].clusterArn).toBe(ARN("default"));
    expect((await ok(lenient, "ListClusters")).clusterArns).toEqual([ARN("default")]);
  });
});
