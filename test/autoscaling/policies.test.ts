import { describe, expect, it } from "vitest";
import { nextRun, stepCapacity, toUnixCron } from "../../src/autoscaling/scaler.js";
import { evaluateExpression } from "../../src/metrics/expression.js";
import { startSimulator } from "../../src/index.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";
import { webDefinition } from "../services/helpers.js";

const AAS = "AnyScaleFrontendService.";
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("scaling arithmetic", () => {
  it("step scaling picks the step whose bounds hold the breach, for each adjustment type", () => {
    const steps = [
      { MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 50, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 50, ScalingAdjustment: 3 },
    ];
    expect([stepCapacity({ StepAdjustments: steps }, 4, -5), stepCapacity({ StepAdjustments: steps }, 4, 10), stepCapacity({ StepAdjustments: steps }, 4, 50)]).toEqual([3, 5, 7]);
    expect(stepCapacity({ AdjustmentType: "ExactCapacity", StepAdjustments: [{ ScalingAdjustment: 9 }] }, 4, 1)).toBe(9);
    expect(stepCapacity({ AdjustmentType: "PercentChangeInCapacity", StepAdjustments: [{ ScalingAdjustment: 10 }], MinAdjustmentMagnitude: 2 }, 4, 1)).toBe(6);
    expect(stepCapacity({ AdjustmentType: "PercentChangeInCapacity", StepAdjustments: [{ ScalingAdjustment: 50 }] }, 5, 1)).toBe(7);
  });

  it("schedules: at() once, rate() from its start, cron() in AWS's six fields", () => {
    const base = { CreationTime: T0 };
    expect(nextRun({ ...base, Schedule: "at(2026-01-01T00:10:00)" }, T0)).toBe(T0 + 600_000);
    expect(nextRun({ ...base, Schedule: "at(2026-01-01T00:10:00)" }, T0 + 600_001)).toBeUndefined();
    expect(nextRun({ ...base, Schedule: "rate(5 minutes)" }, T0 + 1)).toBe(T0 + 300_000);
    expect(nextRun({ ...base, Schedule: "cron(30 8 ? * MON-FRI *)" }, T0)).toBe(Date.parse("2026-01-01T08:30:00Z"));
    expect(toUnixCron("0 12 * * ? *")).toBe("0 12 * * *");
    expect(() => toUnixCron("0 12 * * ? 2027")).toThrow();
  });

  it("metric math evaluates ids, numbers and operators, and drops a division by zero", () => {
    expect(evaluateExpression("(m1 + m2) / 2 * 100", { m1: 3, m2: 1 })).toBe(200);
    expect(evaluateExpression("m1 / m2", { m1: 3, m2: 0 })).toBeUndefined();
    expect(() => evaluateExpression("m1 +", { m1: 1 })).toThrow();
  });
});

describe("policies and schedules through the wire", () => {
  it("an ALB request-count policy watches its target group; metric-math tracking keeps its queries; schedules list and delete", async () => {
    const sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 2, quotas: { profile: "established" } });
    const aas = async (op: string, body: unknown) => {
      const res = await sim.simulator.app.inject({ method: "POST", url: "/", headers: { "x-amz-target": AAS + op, "content-type": "application/x-amz-json-1.1" }, payload: JSON.stringify(body) });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    try {
      await ok(sim, "CreateCluster", { clusterName: "default" });
      await ok(sim, "RegisterTaskDefinition", webDefinition("web"));
      await ok(sim, "CreateService", { cluster: "default", serviceName: "web", taskDefinition: "web", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
      const target = { ServiceNamespace: "ecs", ResourceId: "service/default/web", ScalableDimension: "ecs:service:DesiredCount" };
      expect((await aas("RegisterScalableTarget", { ...target, MinCapacity: 1, MaxCapacity: 4 })).status).toBe(200);
      const alb = await aas("PutScalingPolicy", {
        ...target,
        PolicyName: "rps",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          DisableScaleIn: true,
          PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget", ResourceLabel: "app/web/50dc6c495c0c9188/targetgroup/web/6d0ecf831eec9f09" },
        },
      });
      expect(alb.body.Alarms).toHaveLength(1);
      const math = await aas("PutScalingPolicy", {
        ...target,
        PolicyName: "backlog-per-task",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 10,
          CustomizedMetricSpecification: {
            Metrics: [
              { Id: "depth", MetricStat: { Metric: { Namespace: "App", MetricName: "Depth" }, Stat: "Sum" }, ReturnData: false },
              { Id: "tasks", MetricStat: { Metric: { Namespace: "App", MetricName: "Tasks" }, Stat: "Average" }, ReturnData: false },
              { Id: "perTask", Expression: "depth / tasks" },
            ],
          },
        },
      });
      expect(math.status).toBe(200);
      const view = (await admin(sim, "GET", "/_sim/autoscaling")).body.regions[0];
      const rps = view.alarms.find((a: any) => a.AlarmActions.includes(alb.body.PolicyARN));
      expect(rps).toMatchObject({ Threshold: 100, StateValue: "INSUFFICIENT_DATA" });
      await admin(sim, "PUT", "/_sim/metrics", { namespace: "App", name: "Depth", value: 80 });
      await admin(sim, "PUT", "/_sim/metrics", { namespace: "App", name: "Tasks", value: 1 });
      await sim.advanceClock(4 * 60_000);
      // 80 messages for 1 task against a target of 10 per task: out to the maximum of 4.
      expect((await ok(sim, "DescribeServices", { cluster: "default", services: ["web"] })).services[0].desiredCount).toBe(4);

      expect((await aas("PutScheduledAction", { ...target, ScheduledActionName: "nightly", Schedule: "cron(0 22 * * ? *)", ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 1 } })).status).toBe(200);
      expect((await aas("PutScheduledAction", { ...target, ScheduledActionName: "bad", Schedule: "sometimes" })).body.__type).toBe("ValidationException");
      const listed = (await aas("DescribeScheduledActions", { ServiceNamespace: "ecs" })).body.ScheduledActions;
      expect(listed.map((a: any) => [a.ScheduledActionName, a.Schedule])).toEqual([["nightly", "cron(0 22 * * ? *)"]]);
      expect((await aas("DeleteScheduledAction", { ...target, ScheduledActionName: "nightly" })).status).toBe(200);
      expect((await aas("DeleteScheduledAction", { ...target, ScheduledActionName: "nightly" })).body.__type).toBe("ObjectNotFoundException");
    } finally {
      await sim.close();
    }
  });
});

describe("scaling into the vCPU quota", () => {
  it("a desired count the quota cannot hold shows up as the service's unable-to-place events", async () => {
    const sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 4, quotas: { profile: "aws-default" } });
    try {
      await ok(sim, "CreateCluster", { clusterName: "default" });
      await ok(sim, "RegisterTaskDefinition", webDefinition("heavy", {}, { cpu: "1024", memory: "2048" }));
      await ok(sim, "CreateService", { cluster: "default", serviceName: "heavy", taskDefinition: "heavy", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
      const target = { ServiceNamespace: "ecs", ResourceId: "service/default/heavy", ScalableDimension: "ecs:service:DesiredCount" };
      const res = await sim.simulator.app.inject({
        method: "POST",
        url: "/",
        headers: { "x-amz-target": `${AAS}RegisterScalableTarget`, "content-type": "application/x-amz-json-1.1" },
        payload: JSON.stringify({ ...target, MinCapacity: 8, MaxCapacity: 10 }),
      });
      expect(res.statusCode).toBe(200);
      await sim.advanceClock(30_000);
      const service = (await ok(sim, "DescribeServices", { cluster: "default", services: ["heavy"] })).services[0];
      expect(service.desiredCount).toBe(8);
      expect(service.runningCount).toBe(6);
      expect(service.events.map((e: any) => e.message)).toContain(
        "(service heavy) was unable to place a task. Reason: You’ve reached the limit on the number of vCPUs you can run concurrently",
      );
    } finally {
      await sim.close();
    }
  });
});
