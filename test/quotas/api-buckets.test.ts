import { describe, expect, it } from "vitest";
import { ThrottlingException } from "../../src/errors/aws-errors.js";
import { Messages } from "../../src/errors/messages.js";
import { ECS_API_BUCKETS, FARGATE_BUCKETS, bucketsForCall, categoryOf } from "../../src/quotas/api-buckets.js";
import { SCOPE, burst, makeEngine } from "./helpers.js";

describe("API bucket table", () => {
  it("has the exact §3.1 numbers", () => {
    const table = Object.fromEntries(ECS_API_BUCKETS.map((b) => [b.name, [b.burst, b.sustained]]));
    expect(table).toMatchObject({
      "Cluster modify": [20, 1],
      "Cluster read": [50, 20],
      "Task definition modify": [20, 1],
      "Task definition read": [50, 20],
      "Task definition deletion": [5, 1],
      "Capacity provider modify": [10, 1],
      "Capacity provider read": [50, 20],
      "Tag modify": [20, 10],
      "Tag read": [50, 20],
      "Setting modify": [10, 1],
      "Setting read": [50, 20],
      "Cluster resource modify": [100, 40],
      "Cluster resource read": [100, 20],
      "Agent modify": [200, 120],
      "Service modify": [50, 5],
      "Service read": [100, 20],
      "Service deployment": [50, 20],
      "Service revision": [50, 20],
      "Task protection": [200, 80],
      "Cluster service resource read": [10, 1],
    });
    const fargate = Object.fromEntries(FARGATE_BUCKETS.map((b) => [b.id, [b.burst, b.sustained]]));
    expect(fargate).toEqual({
      "fargate-run-task": [20, 20],
      "fargate-launch-on-demand": [100, 20],
      "fargate-launch-spot": [100, 20],
    });
  });

  it("lists every action once", () => {
    const all = ECS_API_BUCKETS.flatMap((b) => b.actions);
    expect(new Set(all).size).toBe(all.length);
  });

  it("maps actions to categories, unknown ones by verb", () => {
    expect(categoryOf("DescribeTasks")).toBe("cluster-resource-read");
    expect(categoryOf("RegisterTaskDefinition")).toBe("task-definition-modify");
    expect(categoryOf("UpdateContainerInstancesState")).toBe("cluster-resource-modify");
    expect(categoryOf("DescribeTaskSets")).toBe("unlisted-read");
    expect(categoryOf("FrobnicateWidget")).toBe("unlisted-modify");
    expect(categoryOf("GetSomethingNew")).toBe("unlisted-read");
    expect(bucketsForCall("RunTask")).toEqual(["cluster-resource-modify", "fargate-run-task"]);
  });
});

describe("admitApiCall", () => {
  it("admits exactly burst, then sustained per second (DescribeClusters 50/20)", async () => {
    const { engine, clock } = makeEngine();
    expect(burst(engine, "DescribeClusters", 80)).toBe(50);
    await clock.advance(1000);
    expect(burst(engine, "DescribeClusters", 80)).toBe(20);
    await clock.advance(250);
    expect(burst(engine, "DescribeClusters", 80)).toBe(5);
    await clock.advance(60_000);
    expect(burst(engine, "DescribeClusters", 80)).toBe(50);
  });

  it("throws ThrottlingException 'Rate exceeded' and records the refusal", async () => {
    const { engine, published } = makeEngine();
    burst(engine, "DeleteTaskDefinitions", 5);
    let err: unknown;
    try {
      engine.admitApiCall(SCOPE, "DeleteTaskDefinitions", "req-x");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ThrottlingException);
    expect((err as ThrottlingException).message).toBe(Messages.rateExceeded);
    expect((err as ThrottlingException).status).toBe(400);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      account: SCOPE.account,
      region: SCOPE.region,
      operation: "DeleteTaskDefinitions",
      kind: "throttle",
      limit: "task-definition-deletion",
      allowed: false,
      requestId: "req-x",
    });
    expect(engine.decisions()).toEqual(published);
  });

  it("shares one bucket per category and keeps categories apart", () => {
    const { engine } = makeEngine();
    expect(burst(engine, "DescribeTasks", 60) + burst(engine, "ListTasks", 60)).toBe(100);
    // S6: DescribeTasks throttling leaves registrations and RunTask alone.
    expect(burst(engine, "RegisterTaskDefinition", 1)).toBe(1);
    expect(burst(engine, "RunTask", 1)).toBe(1);
  });

  it("keys buckets by account and Region", () => {
    const { engine } = makeEngine();
    expect(burst(engine, "CreateCluster", 30)).toBe(20);
    expect(burst(engine, "CreateCluster", 30, { ...SCOPE, region: "eu-west-1" })).toBe(20);
    expect(burst(engine, "CreateCluster", 30, { ...SCOPE, account: "210987654321" })).toBe(20);
  });

  it("RunTask is limited by the Fargate call bucket (20/20) before its category (100/40)", async () => {
    const { engine, clock, published } = makeEngine();
    expect(burst(engine, "RunTask", 30)).toBe(20);
    expect(published.every((d) => d.limit === "fargate-run-task")).toBe(true);
    // Refused calls took no category token: 80 StopTask calls still fit in cluster-resource-modify.
    expect(burst(engine, "StopTask", 100)).toBe(80);
    await clock.advance(500);
    // 0.5 s: +10 RunTask tokens, +20 category tokens.
    expect(burst(engine, "RunTask", 30)).toBe(10);
  });

  it("over 10 s of sustained over-limit load admits burst + rate * elapsed", async () => {
    const { engine, clock } = makeEngine();
    let accepted = 0;
    for (let ms = 0; ms <= 10_000; ms += 10) {
      accepted += burst(engine, "DescribeTasks", 3); // 300 calls/s against 20/s
      await clock.advance(10);
    }
    // The last step's calls at t = 10 000 ms: 100 + 20 * 10 = 300 tokens.
    expect(accepted).toBe(300);
  });

  it("an operation bucket override throttles only that operation", () => {
    const { engine } = makeEngine({ overrides: { operationBuckets: { DescribeTasks: { burst: 3, sustained: 1 } } } });
    expect(burst(engine, "DescribeTasks", 10)).toBe(3);
    expect(burst(engine, "ListTasks", 10)).toBe(10);
    expect(engine.decisions()[0]).toMatchObject({ limit: "operation:DescribeTasks" });
  });

  it("the unlimited profile throttles nothing", () => {
    const { engine } = makeEngine({ profile: "unlimited" });
    expect(burst(engine, "DeleteTaskDefinitions", 1000)).toBe(1000);
    expect(burst(engine, "RunTask", 1000)).toBe(1000);
  });
});

describe("README table", () => {
  it("renders every bucket with its numbers", async () => {
    const { renderBucketTableMarkdown } = await import("../../src/quotas/bucket-table.js");
    const md = renderBucketTableMarkdown();
    expect(md).toContain("| `cluster-read` | Cluster read | DescribeClusters, ListClusters | 50 | 20 | AWS |");
    expect(md).toContain("| `fargate-launch-spot` |");
    expect(md.split("\n")).toHaveLength(2 + ECS_API_BUCKETS.length + FARGATE_BUCKETS.length);
  });
});
