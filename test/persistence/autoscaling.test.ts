import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";
import { webDefinition } from "../services/helpers.js";

/**
 * `--state-dir` keeps Application Auto Scaling (targets, policies, scheduled actions, activities)
 * and CloudWatch (datapoints, set values, alarms with their state), and the scaling loop goes on
 * after the restart.
 */
const TARGET = { ServiceNamespace: "ecs", ResourceId: "service/default/worker", ScalableDimension: "ecs:service:DesiredCount" };

function open(dir: string): Promise<RunningSimulator> {
  return startSimulator({ runtime: "simulated", clock: "virtual", seed: 21, quotas: { profile: "established" }, stateDir: dir });
}

const aas = (sim: RunningSimulator, op: string, input: Record<string, unknown>) => sim.simulator.invokeScaling("application-autoscaling", op, input) as Promise<any>;
const cw = (sim: RunningSimulator, op: string, input: Record<string, unknown>) => sim.simulator.invokeScaling("cloudwatch", op, input) as Promise<any>;

async function view(sim: RunningSimulator) {
  const now = sim.simulator.ctx.clock.now();
  return {
    targets: await aas(sim, "DescribeScalableTargets", { ServiceNamespace: "ecs" }),
    policies: await aas(sim, "DescribeScalingPolicies", { ServiceNamespace: "ecs" }),
    scheduled: await aas(sim, "DescribeScheduledActions", { ServiceNamespace: "ecs" }),
    activities: await aas(sim, "DescribeScalingActivities", { ServiceNamespace: "ecs" }),
    alarms: await cw(sim, "DescribeAlarms", {}),
    published: await cw(sim, "GetMetricStatistics", { Namespace: "App", MetricName: "Jobs", StartTime: new Date(now - 3_600_000), EndTime: new Date(now), Period: 60, Statistics: ["Sum"] }),
    metrics: (await admin(sim, "GET", "/_sim/metrics")).body,
  };
}

describe("--state-dir and scaling", () => {
  it("keeps targets, policies, scheduled actions, activities, metric data and alarms, and the loop goes on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-scaling-state-"));
    const first = await open(dir);
    await ok(first, "CreateCluster", { clusterName: "default" });
    await ok(first, "RegisterTaskDefinition", webDefinition("worker"));
    await ok(first, "CreateService", { cluster: "default", serviceName: "worker", taskDefinition: "worker", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
    await aas(first, "RegisterScalableTarget", { ...TARGET, MinCapacity: 1, MaxCapacity: 6 });
    await aas(first, "PutScalingPolicy", {
      ...TARGET,
      PolicyName: "backlog",
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, CustomizedMetricSpecification: { Namespace: "App", MetricName: "Backlog", Statistic: "Average" }, ScaleOutCooldown: 60, DisableScaleIn: true },
    });
    await aas(first, "PutScheduledAction", { ...TARGET, ScheduledActionName: "later", Schedule: "at(2026-01-01T05:00:00)", ScalableTargetAction: { MinCapacity: 6 } });
    const now = new Date(first.simulator.ctx.clock.now());
    await cw(first, "PutMetricData", { Namespace: "App", MetricData: [{ MetricName: "Jobs", Value: 7, Timestamp: now }] });
    await admin(first, "PUT", "/_sim/metrics", { namespace: "App", name: "Backlog", value: 25 });
    // Three minutes above the target: out to ceil(1 × 25 / 10) = 3.
    await first.advanceClock(3 * 60_000);
    expect((await ok(first, "DescribeServices", { cluster: "default", services: ["worker"] })).services[0].desiredCount).toBe(3);
    const before = await view(first);
    expect(before.activities.ScalingActivities).toHaveLength(1);
    expect(before.alarms.MetricAlarms[0].StateValue).toBe("ALARM");
    await first.close();

    const second = await open(dir);
    try {
      expect(await view(second)).toEqual(before);
      // Still in ALARM after the cooldown: the restored loop scales out again, ceil(3 × 25 / 10) = 8, capped at 6.
      await second.advanceClock(60_000);
      expect((await ok(second, "DescribeServices", { cluster: "default", services: ["worker"] })).services[0].desiredCount).toBe(6);
      expect((await aas(second, "DescribeScalingActivities", { ServiceNamespace: "ecs" })).ScalingActivities).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
