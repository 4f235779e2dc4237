import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { IndexedTable } from "../../src/state/indexed-table.js";
import { familyOfDefinitionArn, ServiceIndex, TaskIndex, type RegionState } from "../../src/state/store.js";
import { AWSVPC, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

interface Row {
  id: string;
  colour: string;
}

const byColour = (colour: string) => `colour:${colour}`;

function table(): IndexedTable<Row> {
  return new IndexedTable<Row>((r) => [byColour(r.colour)]);
}

/** Pages through a bucket with the cursor until it runs out. */
function pageAll(t: IndexedTable<Row>, key: string, limit: number, between?: (page: number) => void): string[] {
  const seen: string[] = [];
  let cursor = 0;
  for (let page = 0; ; page++) {
    const out = t.page(key, cursor, limit);
    seen.push(...out.items.map((r) => r.id));
    if (out.cursor === undefined) return seen;
    cursor = out.cursor;
    between?.(page);
  }
}

describe("indexed table", () => {
  it("files records under their keys, re-files them after a change and forgets them on delete", () => {
    const t = table();
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, colour: i % 2 ? "red" : "blue" }));
    for (const r of rows) t.set(r.id, r);
    expect(t.count(byColour("red"))).toBe(5);
    rows[0]!.colour = "red";
    t.reindex("r0");
    expect([...t.members(byColour("red"))].map((r) => r.id)).toEqual(["r1", "r3", "r5", "r7", "r9", "r0"]);
    expect(t.count(byColour("blue"))).toBe(4);
    t.delete("r3");
    expect(t.count(byColour("red"))).toBe(5);
    expect(t.get("r3")).toBeUndefined();
    expect([...t.keys()]).toEqual(["r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8", "r9"]);
  });

  it("replacing a record under the same key re-files it at the end of its buckets", () => {
    const t = table();
    t.set("a", { id: "a", colour: "red" });
    t.set("b", { id: "b", colour: "red" });
    t.set("a", { id: "a", colour: "red" });
    expect([...t.members(byColour("red"))].map((r) => r.id)).toEqual(["b", "a"]);
    expect(t.size).toBe(2);
  });

  it("a cursor neither skips nor repeats while records are added, removed and re-filed between pages", () => {
    const t = table();
    for (let i = 0; i < 1000; i++) t.set(`r${i}`, { id: `r${i}`, colour: "red" });
    const removed = new Set<string>();
    const seen = pageAll(t, byColour("red"), 7, (page) => {
      // Churn behind and ahead of the cursor: compaction runs many times on the way.
      for (let k = 0; k < 5; k++) {
        const id = `r${(page * 37 + k * 101) % 1000}`;
        const row = t.get(id);
        if (!row) continue;
        if (k % 2) {
          t.delete(id);
        } else {
          row.colour = "blue";
          t.reindex(id);
        }
        removed.add(id);
      }
      t.set(`new${page}`, { id: `new${page}`, colour: "red" });
    });
    expect(new Set(seen).size).toBe(seen.length);
    // Everything that stayed red from start to end was listed, in insertion order.
    const survivors = Array.from({ length: 1000 }, (_, i) => `r${i}`).filter((id) => !removed.has(id));
    expect(seen.filter((id) => id.startsWith("r"))).toEqual(expect.arrayContaining(survivors));
    const order = seen.filter((id) => survivors.includes(id));
    expect(order).toEqual(survivors);
    // Records added while paging come after the ones that were there before.
    expect(seen.slice(-3).every((id) => id.startsWith("new"))).toBe(true);
  });

  it("a page filters with its predicate and ends without an empty trailing page", () => {
    const t = table();
    for (let i = 0; i < 10; i++) t.set(`r${i}`, { id: `r${i}`, colour: "red" });
    const first = t.page(byColour("red"), 0, 5, (r) => r.id !== "r2");
    expect(first.items.map((r) => r.id)).toEqual(["r0", "r1", "r3", "r4", "r5"]);
    const second = t.page(byColour("red"), first.cursor!, 5, (r) => r.id !== "r2");
    expect(second.items.map((r) => r.id)).toEqual(["r6", "r7", "r8", "r9"]);
    expect(second.cursor).toBeUndefined();
    expect(t.page(byColour("green"), 0, 5).items).toEqual([]);
  });
});

/** Recomputes every index of the region by scanning it and compares with what the indexes hold. */
function expectIndexesConsistent(state: RegionState): void {
  const tasks = [...state.tasks.values()];
  const groups = new Map<string, string[]>();
  const add = (key: string, arn: string) => groups.set(key, [...(groups.get(key) ?? []), arn]);
  for (const r of tasks) {
    const t = r.task;
    const arn = t.taskArn!;
    add(TaskIndex.cluster(r.clusterName), arn);
    add(TaskIndex.desired(r.clusterName, t.desiredStatus!), arn);
    add(TaskIndex.last(r.clusterName, t.lastStatus!), arn);
    add(TaskIndex.familyDesired(r.clusterName, t.desiredStatus!, familyOfDefinitionArn(t.taskDefinitionArn)), arn);
    if (r.serviceName) {
      add(TaskIndex.service(r.clusterName, r.serviceName), arn);
      add(TaskIndex.serviceDesired(r.clusterName, t.desiredStatus!, r.serviceName), arn);
    }
    if (t.startedBy) add(TaskIndex.startedByDesired(r.clusterName, t.desiredStatus!, t.startedBy), arn);
    if (t.capacityProviderName) add(TaskIndex.capacityProvider(r.clusterName, t.capacityProviderName), arn);
  }
  for (const [key, arns] of groups) {
    expect([...state.tasks.members(key)].map((r) => r.task.taskArn).sort(), key).toEqual([...arns].sort());
    expect(state.tasks.count(key), key).toBe(arns.length);
  }
  // No bucket holds a task the scan did not put there (statuses it has left included).
  for (const cluster of new Set(tasks.map((r) => r.clusterName))) {
    for (const status of ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]) {
      expect(state.tasks.count(TaskIndex.last(cluster, status))).toBe(groups.get(TaskIndex.last(cluster, status))?.length ?? 0);
      expect(state.tasks.count(TaskIndex.desired(cluster, status))).toBe(groups.get(TaskIndex.desired(cluster, status))?.length ?? 0);
    }
  }
  const services = [...state.services.values()];
  for (const cluster of new Set(services.map((s) => s.clusterName))) {
    expect([...state.services.members(ServiceIndex.cluster(cluster))]).toEqual(services.filter((s) => s.clusterName === cluster));
  }
}

describe("store indexes through the simulator", () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("stay consistent after every kind of mutation: launch, transitions, stop, expiry, services, replace, reset", async () => {
    sim = await virtualSim({ stoppedTaskRetentionMs: 60_000 });
    const state = () => sim!.simulator.ctx.store.region("000000000000", "us-east-1");
    await ok(sim, "CreateCluster", {});
    await ok(sim, "CreateCluster", { clusterName: "other", capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, family: "batch" });
    const run = (body: Record<string, unknown>) => ok(sim!, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC, ...body });

    const launched = await run({ count: 5, startedBy: "me" });
    await run({ cluster: "other", taskDefinition: "batch", count: 3, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] });
    expectIndexesConsistent(state());

    await sim.advanceClock(2_000);
    expectIndexesConsistent(state());

    await ok(sim, "StopTask", { task: launched.tasks[0].taskArn });
    await ok(sim, "StopTask", { task: launched.tasks[1].taskArn });
    expectIndexesConsistent(state());
    await sim.advanceClock(5_000);
    expectIndexesConsistent(state());

    await ok(sim, "CreateService", { serviceName: "svc", taskDefinition: "web", desiredCount: 3, networkConfiguration: AWSVPC });
    await sim.advanceClock(5_000);
    expectIndexesConsistent(state());
    await ok(sim, "UpdateService", { service: "svc", desiredCount: 1 });
    await sim.advanceClock(5_000);
    expectIndexesConsistent(state());

    // Expiry removes STOPPED tasks from the store and from every index.
    await sim.advanceClock(120_000);
    expect(state().tasks.count(TaskIndex.last("default", "STOPPED"))).toBe(0);
    expectIndexesConsistent(state());

    await ok(sim, "DeleteService", { service: "svc", force: true });
    await sim.advanceClock(120_000);
    await ok(sim, "CreateService", { serviceName: "svc", taskDefinition: "web", desiredCount: 1, networkConfiguration: AWSVPC });
    await sim.advanceClock(5_000);
    expectIndexesConsistent(state());

    await sim.reset();
    expect(state().tasks.size).toBe(0);
    expect(state().tasks.count(TaskIndex.cluster("default"))).toBe(0);
  });

  it("ListTasks pages with a stable cursor while tasks stop between pages", async () => {
    sim = await virtualSim();
    await ok(sim, "CreateCluster", {});
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) arns.push(...(await ok(sim, "RunTask", { taskDefinition: "web", count: 10, networkConfiguration: AWSVPC })).tasks.map((t: any) => t.taskArn));
    const seen: string[] = [];
    const stopped = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await ok(sim, "ListTasks", { maxResults: 4, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.taskArns);
      nextToken = page.nextToken;
      // Stop one task not yet listed: it drops out of the RUNNING listing without shifting the rest.
      const ahead = arns.find((a) => !seen.includes(a) && !stopped.has(a));
      if (ahead && nextToken) {
        await ok(sim, "StopTask", { task: ahead });
        stopped.add(ahead);
      }
    } while (nextToken);
    expect(seen).toEqual(arns.filter((a) => !stopped.has(a)));
    const stoppedList = await ok(sim, "ListTasks", { desiredStatus: "STOPPED" });
    expect([...stoppedList.taskArns].sort()).toEqual([...stopped].sort());
  });
});
