import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";

/**
 * The shipped queue-depth scenario: step scaling on an SQS backlog series, into a 20-vCPU spot
 * quota (5 tasks of 4 vCPU), then back in as the queue drains. Minute by minute on the virtual clock.
 */
const SCENARIO = join(import.meta.dirname, "../../fixtures/scenarios/queue-depth-spot.yaml");
const DEPTH = { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: "jobs" }] };
const VCPU_LIMIT = "(service queue-worker) was unable to place a task. Reason: You’ve reached the limit on the number of vCPUs you can run concurrently";

let sims: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

interface Run {
  /** [minute, desired, running, queue depth] */
  trajectory: [number, number, number, number | null][];
  serviceEvents: string[];
  activities: unknown[];
  hubEvents: unknown[];
}

async function run(minutes = 32): Promise<Run> {
  const sim = await startSimulator({ scenario: SCENARIO });
  sims.push(sim);
  const metrics = sim.simulator.ctx.store.region("000000000000", "us-east-1").metrics;
  const trajectory: Run["trajectory"] = [];
  for (let m = 0; m <= minutes; m++) {
    const now = sim.simulator.ctx.clock.now();
    const service = ((await sim.simulator.invoke("DescribeServices", { cluster: "jobs", services: ["queue-worker"] })) as any).services[0];
    const depth = metrics.statistics(DEPTH, "Maximum", now, now + 60_000, 60_000)[0]?.value ?? null;
    trajectory.push([m, service.desiredCount, service.runningCount, depth]);
    await sim.advanceClock(60_000);
  }
  const service = ((await sim.simulator.invoke("DescribeServices", { cluster: "jobs", services: ["queue-worker"] })) as any).services[0];
  const activities = ((await sim.simulator.invokeScaling("application-autoscaling", "DescribeScalingActivities", { ServiceNamespace: "ecs" })) as any).ScalingActivities;
  return {
    trajectory,
    serviceEvents: service.events.map((e: any) => `${new Date(e.createdAt).toISOString()} ${e.message}`),
    activities,
    hubEvents: sim.simulator.events.list(),
  };
}

describe("queue-depth-spot scenario", () => {
  it("scales out on the backlog into the spot vCPU quota, shows the blocked placements, and scales in as the queue drains", async () => {
    const first = await run();
    const desired = first.trajectory.map(([, d]) => d);
    const running = first.trajectory.map(([, , r]) => r);
    // The backlog passes 100 at 2m; each minute in ALARM adds 1 (backlog under 600) or 2 tasks.
    expect(desired).toEqual([1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 6, 4, 2, 1, 1, 1, 1, 1, 1]);
    // Never more than 5 tasks of 4 vCPU under the 20-vCPU spot quota.
    expect(Math.max(...running)).toBe(5);
    expect(running.slice(6, 25)).toEqual(Array(19).fill(5));
    expect(running.at(-1)).toBe(1);
    // The series is set by the first timeline step, when the clock first moves.
    expect(first.trajectory.map(([, , , q]) => q)).toEqual([null, 0, 300, 300, 900, 900, 2400, 2400, 2400, 2400, 2400, 2400, 1800, 1800, 1800, 1800, 600, 600, 600, 120, 120, 20, 20, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

    // The desired count the quota cannot hold shows as the service's unable-to-place events.
    const blocked = first.serviceEvents.filter((e) => e.endsWith(VCPU_LIMIT));
    expect(blocked.length).toBeGreaterThan(0);
    expect(first.serviceEvents.some((e) => e.includes("has stopped 2 running tasks"))).toBe(true);

    const causes = (first.activities as any[]).map((a) => `${a.Description} ${a.Cause.replace(/^monitor alarm (\S+).*/, "$1")}`).reverse();
    expect(causes).toEqual([
      "Setting desired count to 2. queue-worker-deep",
      "Setting desired count to 3. queue-worker-deep",
      "Setting desired count to 5. queue-worker-deep",
      "Setting desired count to 7. queue-worker-deep",
      "Setting desired count to 9. queue-worker-deep",
      "Setting desired count to 10. queue-worker-deep",
      "Setting desired count to 8. queue-worker-shallow",
      "Setting desired count to 6. queue-worker-shallow",
      "Setting desired count to 4. queue-worker-shallow",
      "Setting desired count to 2. queue-worker-shallow",
      "Setting desired count to 1. queue-worker-shallow",
    ]);
    // Every scaling activity is also an EventBridge event; reaching the maximum says so.
    const scaling = (first.hubEvents as any[]).filter((e) => e.source === "aws.application-autoscaling");
    expect(scaling.map((e) => e.detail.newDesiredCapacity)).toEqual([2, 3, 5, 7, 9, 10, 8, 6, 4, 2, 1]);
    expect(scaling.filter((e) => e.detail.scaledToMax).map((e) => e.detail.oldDesiredCapacity)).toEqual([9]);

    // The same seed gives the same run, event ids and task ids included.
    const second = await run();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
