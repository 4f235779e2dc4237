import { describe, expect, it } from "vitest";
import { placeTasks, schedulableCount, schedulableReport } from "../../src/scheduler/ec2-placement/index.js";
import { idOf, instance, noRandom, task } from "./fixtures.js";

describe("schedulable count: how many tasks of a size fit per instance", () => {
  it("the scarcest resource decides", () => {
    // m5.large: 2048 CPU, 7985 MiB.
    expect(schedulableCount(instance("a"), task({ cpu: 512, memory: 1024 }))).toBe(4);
    expect(schedulableCount(instance("a"), task({ cpu: 128, memory: 1024 }))).toBe(7);
    expect(schedulableCount(instance("a", { used: { memory: 7000 } }), task({ cpu: 128, memory: 1024 }))).toBe(0);
  });

  it("interfaces, fixed ports, GPUs and constraints cap it too", () => {
    expect(schedulableCount(instance("c", { type: "c5.large" }), task({ cpu: 64, memory: 64, awsvpc: true }))).toBe(2);
    expect(schedulableCount(instance("a"), task({ cpu: 64, memory: 64, hostPorts: [{ port: 80, protocol: "tcp" }] }))).toBe(1);
    expect(schedulableCount(instance("g", { type: "g4dn.12xlarge" }), task({ cpu: 64, memory: 64, gpus: 2 }))).toBe(2);
    expect(schedulableCount(instance("a"), task({ cpu: 64, memory: 64 }), [{ type: "distinctInstance" }])).toBe(1);
    expect(schedulableCount(instance("a", { groups: ["service:web"] }), task({ cpu: 64, memory: 64 }), [{ type: "distinctInstance" }])).toBe(0);
    expect(schedulableCount(instance("a"), task(), [{ type: "memberOf", expression: "attribute:ecs.instance-type == t3.micro" }])).toBe(0);
  });

  it("instances that cannot take a task count 0", () => {
    expect(schedulableCount(instance("a", { agentConnected: false }), task())).toBe(0);
    expect(schedulableCount(instance("a", { status: "DRAINING" }), task())).toBe(0);
    expect(schedulableCount(instance("a"), task({ requiredAttributes: [{ name: "ecs.capability.efs" }] }))).toBe(0);
  });

  it("a task that asks for nothing countable is unbounded", () => {
    expect(schedulableCount(instance("a"), task({ cpu: 0, memory: 0 }))).toBe(Number.POSITIVE_INFINITY);
  });

  it("three instances in three zones, before and after a spread service takes its share", () => {
    const cluster = [
      instance("a", { az: "us-east-1a" }),
      instance("b", { az: "us-east-1b", type: "m5.xlarge" }),
      instance("c", { az: "us-east-1c", type: "c5.large" }),
    ];
    const size = task({ cpu: 512, memory: 1536 });
    const before = schedulableReport(cluster, size);
    // a: min(4, 5); b: min(8, 10); c: c5.large 2048 CPU, 3984 MiB -> min(4, 2).
    expect(before.instances.map((r) => [idOf(r.arn), r.schedulable])).toEqual([
      ["a", 4],
      ["b", 8],
      ["c", 2],
    ]);
    expect(before.total).toBe(14);
    const placed = placeTasks(cluster, {
      requirements: size,
      count: 6,
      strategies: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
      random: noRandom,
    });
    expect(placed.placements.map((p) => idOf(p.instanceArn))).toEqual(["a", "b", "c", "a", "b", "c"]);
    const after = schedulableReport(placed.instances, size);
    expect(after.instances.map((r) => r.schedulable)).toEqual([2, 6, 0]);
    expect(after.total).toBe(8);
  });
});

describe("schedulable count with dynamic ports", () => {
  it("counts the free ports of the dynamic range", () => {
    const narrow = { ...instance("a"), dynamicPortRange: { first: 50000, last: 50009 } };
    expect(schedulableCount(narrow, task({ cpu: 1, memory: 1, dynamicPorts: ["tcp", "tcp", "tcp"] }))).toBe(3);
    const used = { ...narrow, remaining: { ...narrow.remaining, ports: [...narrow.remaining.ports, 50000, 50001] } };
    expect(schedulableCount(used, task({ cpu: 1, memory: 1, dynamicPorts: ["tcp", "tcp", "tcp"] }))).toBe(2);
  });
});

describe("draining an instance, at the level of placement", () => {
  it("the drained instance's share moves to the other zones and its capacity leaves the report", () => {
    const cluster = [instance("a", { az: "us-east-1a" }), instance("b", { az: "us-east-1b" }), instance("c", { az: "us-east-1c" })];
    const size = task({ cpu: 512, memory: 1024 });
    const spread = [{ type: "spread" as const, field: "attribute:ecs.availability-zone" }];
    const first = placeTasks(cluster, { requirements: size, count: 6, strategies: spread, random: noRandom });
    expect(schedulableReport(first.instances, size).instances.map((r) => r.schedulable)).toEqual([2, 2, 2]);
    // c drains: it takes nothing, and its two tasks are stopped and placed again.
    const drained = first.instances.map((i) => (idOf(i.arn) === "c" ? { ...i, status: "DRAINING" as const, tasks: [] } : i));
    const replaced = placeTasks(drained, { requirements: size, count: 2, strategies: spread, random: noRandom });
    expect(replaced.placements.map((p) => idOf(p.instanceArn))).toEqual(["a", "b"]);
    expect(schedulableReport(replaced.instances, size).instances.map((r) => r.schedulable)).toEqual([1, 1, 0]);
  });
});
