import { describe, expect, it } from "vitest";
import { AWSVPC, FARGATE_DEF, ok, virtualSim } from "./helpers/sim.js";

/** Runs a fixed scenario and returns everything observable that depends on ids and timing. */
async function scenario(seed: number, polls = 0): Promise<{ arn: string; ip: string; exit: number; startedAt: number; stoppedAt: number }[]> {
  const sim = await virtualSim({
    seed,
    timing: "realistic",
    simulated: { rules: [{ match: { family: "web" }, outcomes: [{ weight: 1, runMs: 30_000, jitterMs: 10_000, exitCode: 0 }, { weight: 1, runMs: 5_000, exitCode: 1 }] }] },
  });
  try {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", count: 6, networkConfiguration: AWSVPC });
    // Polling must not change the outcome: request ids come from their own random stream.
    for (let i = 0; i < polls; i++) await ok(sim, "ListClusters");
    await sim.advanceClock(120_000);
    const described = await ok(sim, "DescribeTasks", { cluster: "c", tasks: run.tasks.map((t: any) => t.taskArn) });
    return described.tasks.map((t: any) => ({
      arn: t.taskArn,
      ip: t.attachments[0].details.find((d: any) => d.name === "privateIPv4Address").value,
      exit: t.containers[0].exitCode,
      startedAt: t.startedAt,
      stoppedAt: t.stoppedAt,
    }));
  } finally {
    await sim.close();
  }
}

describe("seeded replay", () => {
  it("the same seed and the same calls give the same ids, addresses, outcomes and times, however often a client polls", async () => {
    const a = await scenario(1234, 0);
    const b = await scenario(1234, 5);
    expect(b).toEqual(a);
    expect(new Set(a.map((t) => t.exit)).size).toBeGreaterThan(1);
  });

  it("a different seed gives a different run", async () => {
    const a = await scenario(1234);
    const c = await scenario(4321);
    expect(c.map((t) => t.arn)).not.toEqual(a.map((t) => t.arn));
  });
});
