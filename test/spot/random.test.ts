import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { meanIntervalMs, parseSpotConfig } from "../../src/scheduler/spot/config.js";
import { admin, AWSVPC, describeAll, ok, runSpot, setup, spotSim } from "./helpers.js";

interface Outcome {
  taskId: string;
  provider: string;
  lastStatus: string;
  stopCode?: string;
  stoppedAt?: number;
}

/**
 * One scripted run: 10 spot tasks and 2 on-demand tasks, then 2 hours of simulated time in 7-minute
 * steps. `poll` adds read-only calls between steps, which must not change anything.
 */
async function scriptedRun(seed: number, poll: boolean): Promise<{ outcomes: Outcome[]; history: unknown[] }> {
  const sim = await spotSim({ seed, spot: { random: { meanIntervalMs: 3_600_000 } } });
  try {
    const { cluster, family } = await setup(sim);
    const arns: string[] = (await runSpot(sim, cluster, family, 10)).tasks.map((t: any) => t.taskArn);
    const od = await ok(sim, "RunTask", { cluster, taskDefinition: family, count: 2, launchType: "FARGATE", networkConfiguration: AWSVPC });
    arns.push(...od.tasks.map((t: any) => t.taskArn));
    for (let i = 0; i < 18; i++) {
      await sim.advanceClock(7 * 60_000);
      if (poll) {
        await ok(sim, "ListTasks", { cluster });
        await describeAll(sim, cluster, arns);
        await admin(sim, "GET", "/_sim/spot");
        await admin(sim, "GET", "/_sim/events");
      }
    }
    const outcomes = (await describeAll(sim, cluster, arns)).map((t) => ({
      taskId: t.taskArn.split("/").pop(),
      provider: t.capacityProviderName,
      lastStatus: t.lastStatus,
      ...(t.stopCode ? { stopCode: t.stopCode } : {}),
      ...(t.stoppedAt ? { stoppedAt: t.stoppedAt } : {}),
    }));
    return { outcomes, history: sim.simulator.spot.history() };
  } finally {
    await sim.close();
  }
}

describe("random spot interruptions", () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it("replay: the same seed and the same calls interrupt the same tasks at the same simulated times", async () => {
    const a = await scriptedRun(2024, false);
    const b = await scriptedRun(2024, true);
    expect(b.outcomes).toEqual(a.outcomes);
    expect(b.history).toEqual(a.history);

    const interrupted = a.outcomes.filter((o) => o.stopCode === "SpotInterruption");
    // Mean one hour per task over two hours: some but (almost surely) not all of the 10 go.
    expect(interrupted.length).toBeGreaterThan(0);
    expect(interrupted.length).toBeLessThan(10);
    expect(interrupted.every((o) => o.provider === "FARGATE_SPOT" && o.lastStatus === "STOPPED" && o.stoppedAt)).toBe(true);
    // On-demand tasks are never interrupted.
    expect(a.outcomes.filter((o) => o.provider === "FARGATE").every((o) => o.lastStatus === "RUNNING")).toBe(true);

    const other = await scriptedRun(7, false);
    expect(other.outcomes.map((o) => o.stoppedAt ?? null)).not.toEqual(a.outcomes.map((o) => o.stoppedAt ?? null));
  });

  it("is off by default", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const arns: string[] = (await runSpot(sim, cluster, family, 5)).tasks.map((t: any) => t.taskArn);
    await sim.advanceClock(24 * 3_600_000);
    expect((await describeAll(sim, cluster, arns)).map((t) => t.lastStatus)).toEqual(Array(5).fill("RUNNING"));
    expect((await admin(sim, "GET", "/_sim/spot")).body).toMatchObject({ warningMs: 120_000, random: null, scheduled: [], interruptions: 0 });
  });

  it("schedules each spot task when it becomes RUNNING, and a rate set at run time applies to running tasks", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const arns: string[] = (await runSpot(sim, cluster, family, 3)).tasks.map((t: any) => t.taskArn);
    await sim.advanceClock(1000);

    const put = await admin(sim, "PUT", "/_sim/spot", { random: { probabilityPerMinute: 0.5 } });
    expect(put.status).toBe(200);
    expect(put.body.scheduled.map((s: any) => s.taskArn)).toEqual(arns);
    expect(put.body.meanIntervalMs).toBeCloseTo(60_000 / Math.LN2, 6);
    const latest = Math.max(...put.body.scheduled.map((s: any) => s.atMs));

    // A task started now is scheduled when it reaches RUNNING, not before.
    const late: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    expect((await admin(sim, "GET", "/_sim/spot")).body.scheduled.map((s: any) => s.taskArn)).toEqual(arns);
    await sim.advanceClock(1000);
    expect((await admin(sim, "GET", "/_sim/spot")).body.scheduled.map((s: any) => s.taskArn)).toContain(late);

    await sim.advanceClock(latest - sim.simulator.ctx.clock.now() + 1000);
    const tasks = await describeAll(sim, cluster, arns);
    expect(tasks.every((t) => t.lastStatus === "STOPPED" && t.stopCode === "SpotInterruption")).toBe(true);
    const history = (await admin(sim, "GET", "/_sim/spot/interruptions")).body;
    expect(history.interruptions.filter((r: any) => arns.includes(r.taskArn)).map((r: any) => r.cause)).toEqual(["random", "random", "random"]);

    // Turning it off cancels what is pending.
    const off = await admin(sim, "PUT", "/_sim/spot", { random: null });
    expect(off.body.scheduled).toEqual([]);
  });

  it("a stop before the draw comes due cancels the pending interruption", async () => {
    sim = await spotSim({ spot: { random: { meanIntervalMs: 600_000 } } });
    const { cluster, family } = await setup(sim);
    const arn: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    await sim.advanceClock(1000);
    expect((await admin(sim, "GET", "/_sim/spot")).body.scheduled).toHaveLength(1);
    await ok(sim, "StopTask", { cluster, task: arn });
    expect((await admin(sim, "GET", "/_sim/spot")).body.scheduled).toEqual([]);
    await sim.advanceClock(30 * 60_000);
    expect((await ok(sim, "DescribeTasks", { cluster, tasks: [arn] })).tasks[0].stopCode).toBe("UserInitiated");
    await sim.advanceClock(24 * 3_600_000);
    expect(sim.simulator.spot.history()).toEqual([]);
  });

  it("reset restores the configured settings and forgets history", async () => {
    sim = await spotSim({ spot: { warningMs: 5_000 } });
    await admin(sim, "PUT", "/_sim/spot", { warningMs: 1_000, random: { meanIntervalMs: 1 } });
    await sim.reset();
    expect((await admin(sim, "GET", "/_sim/spot")).body).toMatchObject({ warningMs: 5_000, random: null, interruptions: 0 });
  });

  it("validates the config and the patch", async () => {
    expect(() => parseSpotConfig({ random: { meanIntervalMs: 1, probabilityPerMinute: 0.1 } })).toThrow(/either meanIntervalMs or probabilityPerMinute/);
    expect(() => parseSpotConfig({ warningMs: -1 })).toThrow(/warningMs/);
    expect(() => parseSpotConfig({ typo: true })).toThrow(/typo/);
    expect(meanIntervalMs({ probabilityPerMinute: 1 })).toBe(0);
    expect(meanIntervalMs({ probabilityPerMinute: 0 })).toBeUndefined();
    expect(meanIntervalMs(null)).toBeUndefined();
    sim = await spotSim();
    const bad = await admin(sim, "PUT", "/_sim/spot", { random: { perHour: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/perHour/);
  });
});
