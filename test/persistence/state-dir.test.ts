import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { call } from "../helpers/sim.js";

/**
 * `--state-dir` in one process: resources, revisions, tasks, services, quota overrides, the virtual
 * clock and the random streams' position survive close() and a new simulator on the directory.
 */
const TD = {
  family: "web",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: "nginx", essential: true }],
};
const NET = { awsvpcConfiguration: { subnets: ["subnet-12345678"] } };

function open(dir: string): Promise<RunningSimulator> {
  return startSimulator({ defaultLaunchType: "FARGATE", runtime: "simulated", clock: "virtual", seed: 5, quotas: { profile: "established" }, stateDir: dir, logLevel: "silent" });
}

async function populate(sim: RunningSimulator): Promise<{ taskArn: string; serviceArn: string }> {
  await call(sim, "CreateCluster", { clusterName: "keep", tags: [{ key: "team", value: "a" }] });
  for (let i = 0; i < 3; i++) {
    expect((await call(sim, "RegisterTaskDefinition", TD)).status).toBe(200);
    await sim.advanceClock(1000); // past the per-family registration window
  }
  await call(sim, "DeregisterTaskDefinition", { taskDefinition: "web:2" });
  const run = await call(sim, "RunTask", { cluster: "keep", taskDefinition: "web:3", networkConfiguration: NET });
  const svc = await call(sim, "CreateService", { cluster: "keep", serviceName: "api", taskDefinition: "web:3", desiredCount: 2, networkConfiguration: NET });
  await sim.advanceClock(60_000);
  const put = await sim.simulator.app.inject({ method: "PUT", url: "/_sim/quotas", payload: { vcpu: { onDemand: 40 } } });
  expect(put.statusCode).toBe(200);
  return { taskArn: run.body.tasks[0].taskArn, serviceArn: svc.body.service.serviceArn };
}

describe("--state-dir across close and restart", () => {
  it("keeps resources, revisions, tasks, services, quota overrides, virtual time and the random position", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-state-"));
    const first = await open(dir);
    const { taskArn, serviceArn } = await populate(first);
    const before = first.simulator.state() as { regions: unknown[] };
    const timeBefore = first.simulator.ctx.clock.now();
    const quotasBefore = (await first.simulator.app.inject({ method: "GET", url: "/_sim/quotas" })).json();
    await first.close();

    // A twin that never restarts, to tell what the next random draws must be.
    const twinDir = mkdtempSync(join(tmpdir(), "ecs-sim-twin-"));
    const twin = await open(twinDir);
    await populate(twin);

    const second = await open(dir);
    try {
      expect(second.simulator.ctx.clock.now()).toBe(timeBefore);
      expect(second.simulator.state()).toEqual(before);
      expect((await second.simulator.app.inject({ method: "GET", url: "/_sim/quotas" })).json()).toEqual(quotasBefore);

      const task = (await call(second, "DescribeTasks", { cluster: "keep", tasks: [taskArn] })).body.tasks[0];
      expect(task.lastStatus).toBe("RUNNING");
      const svc = (await call(second, "DescribeServices", { cluster: "keep", services: [serviceArn] })).body.services[0];
      expect(svc.runningCount).toBe(2);

      // Revisions continue after the last one handed out; web:2 stays INACTIVE.
      const next = await call(second, "RegisterTaskDefinition", TD);
      expect(next.body.taskDefinition.revision).toBe(4);
      expect((await call(second, "DescribeTaskDefinition", { taskDefinition: "web:2" })).body.taskDefinition.status).toBe("INACTIVE");

      // The random streams continue where they stood: the same ids as a run that never stopped.
      await call(twin, "RegisterTaskDefinition", TD);
      const a = await call(second, "RunTask", { cluster: "keep", taskDefinition: "web:3", networkConfiguration: NET });
      const b = await call(twin, "RunTask", { cluster: "keep", taskDefinition: "web:3", networkConfiguration: NET });
      expect(a.body.tasks[0].taskArn).toBe(b.body.tasks[0].taskArn);

      // Tasks and services go on: the service keeps its count through the clock, the task stops on request.
      await call(second, "StopTask", { cluster: "keep", task: taskArn });
      await second.advanceClock(120_000);
      expect((await call(second, "DescribeTasks", { cluster: "keep", tasks: [taskArn] })).body.tasks[0].lastStatus).toBe("STOPPED");
    } finally {
      await second.close();
      await twin.close();
    }
  });

  it("drops a torn last journal line (the write a kill interrupted) and keeps everything before it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-state-"));
    const first = await open(dir);
    await call(first, "CreateCluster", { clusterName: "one" });
    // Simulate a kill -9: no close(), so the journal holds the lines and no final snapshot is written.
    const journal = join(dir, "journal.ndjson");
    const lines = readFileSync(journal, "utf8");
    await first.simulator.app.close();
    writeFileSync(journal, `${lines}{"put":{"store|000000000000|us-east-1|clusters|two":{"clu`);
    writeFileSync(join(dir, "lock"), "999999999\n");
    const second = await open(dir);
    try {
      const names = (await call(second, "ListClusters")).body.clusterArns;
      expect(names).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/one"]);
      expect(readFileSync(journal, "utf8").endsWith("\n")).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("refuses a directory another live simulator holds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-state-"));
    const first = await open(dir);
    try {
      writeFileSync(join(dir, "lock"), `${process.ppid}\n`);
      await expect(open(dir)).rejects.toThrow(/in use by process/);
    } finally {
      writeFileSync(join(dir, "lock"), `${process.pid}\n`);
      await first.close();
    }
  });
});

describe("tasks taken over after a restart", () => {
  const config = (dir: string) => ({
    runtime: "simulated" as const,
    clock: "virtual" as const,
    seed: 9,
    quotas: { profile: "unlimited" },
    stateDir: dir,
    logLevel: "silent" as const,
    stoppedTaskRetentionMs: 600_000,
    defaultLaunchType: "FARGATE" as const,
  });
  const describeTask = async (sim: RunningSimulator, arn: string) => (await call(sim, "DescribeTasks", { tasks: [arn] })).body.tasks[0];

  it("relaunches a starting task, finishes a stopping one, and expires a STOPPED one on its original schedule", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-state-"));
    const first = await startSimulator(config(dir));
    await call(first, "CreateCluster", {});
    await call(first, "RegisterTaskDefinition", TD);
    const run = async (sim: RunningSimulator) =>
      (await call(sim, "RunTask", { taskDefinition: "web", networkConfiguration: NET })).body.tasks[0].taskArn as string;
    const gone = await run(first);
    const stopping = await run(first);
    await first.advanceClock(60_000);
    await call(first, "StopTask", { task: gone });
    await first.advanceClock(5 * 60_000);
    expect((await describeTask(first, gone)).lastStatus).toBe("STOPPED");
    const stoppedAt = (await describeTask(first, gone)).stoppedAt * 1000; // epoch seconds on the wire
    await call(first, "StopTask", { task: stopping });
    const starting = await run(first);
    expect((await describeTask(first, starting)).lastStatus).toBe("PROVISIONING");
    expect((await describeTask(first, stopping)).lastStatus).not.toBe("STOPPED");
    await first.close();

    const second = await startSimulator(config(dir));
    try {
      await second.advanceClock(60_000);
      expect((await describeTask(second, starting)).lastStatus).toBe("RUNNING");
      expect((await describeTask(second, stopping)).lastStatus).toBe("STOPPED");
      // Retention counts from the original stop, not from the restart.
      const untilExpiry = stoppedAt + 600_000 - second.simulator.ctx.clock.now();
      await second.advanceClock(untilExpiry - 1000);
      expect(await describeTask(second, gone)).toBeDefined();
      await second.advanceClock(2000);
      expect(await describeTask(second, gone)).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});

describe("the state dir's files", () => {
  it("compacts the journal into the snapshot every compactEvery lines, and reloads the same entries", async () => {
    const { StatePersistence } = await import("../../src/state/persistence.js");
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-files-"));
    const entries = new Map<string, unknown>();
    const p = StatePersistence.open(dir, () => entries, { compactEvery: 3 });
    for (let i = 0; i < 3; i++) {
      entries.set(`k${i}`, { at: new Date(i * 1000), tags: new Set([i]) });
      expect(p.flush()).toBe(1);
    }
    expect(p.flush()).toBe(0); // nothing changed: nothing written
    expect(readFileSync(join(dir, "journal.ndjson"), "utf8")).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "snapshot.json"), "utf8")).entries).toHaveProperty("k2");
    entries.delete("k0");
    expect(p.flush()).toBe(1);
    p.close();
    const again = StatePersistence.open(dir, () => new Map());
    expect(again.loaded()).toEqual(new Map([...entries]));
    again.close();
  });
});

describe("in-process calls on a state dir", () => {
  it("writes a programmatic reset and clock advance at once, not only API calls", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-state-"));
    const first = await open(dir);
    await call(first, "CreateCluster", { clusterName: "wiped" });
    await first.reset();
    await first.advanceClock(3_600_000);
    const at = first.simulator.ctx.clock.now();
    // No close(): what a kill -9 right now would leave behind.
    await first.simulator.app.close();
    writeFileSync(join(dir, "lock"), "999999999\n");
    const second = await open(dir);
    try {
      expect(second.simulator.ctx.clock.now()).toBe(at);
      expect((await call(second, "ListClusters")).body.clusterArns).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
