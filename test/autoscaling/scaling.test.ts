import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  DeregisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";
import { describe as describeService, webDefinition } from "../services/helpers.js";

const RESOURCE = "service/default/worker";
const TARGET = { ServiceNamespace: "ecs", ResourceId: RESOURCE, ScalableDimension: "ecs:service:DesiredCount" } as const;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

let sim: RunningSimulator;
let aas: ApplicationAutoScalingClient;
let cw: CloudWatchClient;

beforeEach(async () => {
  sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 14, quotas: { profile: "established" } });
  aas = new ApplicationAutoScalingClient({ endpoint: sim.endpoint, region: "us-east-1", credentials });
  cw = new CloudWatchClient({ endpoint: sim.endpoint, region: "us-east-1", credentials });
  await ok(sim, "CreateCluster", { clusterName: "default" });
  await ok(sim, "RegisterTaskDefinition", webDefinition("worker"));
  await ok(sim, "CreateService", { cluster: "default", serviceName: "worker", taskDefinition: "worker", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
});
afterEach(async () => {
  aas.destroy();
  cw.destroy();
  await sim.close();
});

const desired = async () => (await describeService(sim, "worker")).desiredCount as number;
const backlog = (value: number) => admin(sim, "PUT", "/_sim/metrics", { namespace: "App", name: "BacklogPerTask", dimensions: { Queue: "jobs" }, value });

describe("Application Auto Scaling through the JS SDK", () => {
  it("refuses a policy without a registered target, with AWS's message, and min above max", async () => {
    await expect(
      aas.send(new PutScalingPolicyCommand({ ...TARGET, PolicyName: "p", PolicyType: "TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } } })),
    ).rejects.toMatchObject({
      name: "ObjectNotFoundException",
      message: "No scalable target registered for service namespace: ecs, resource ID: service/default/worker, scalable dimension: ecs:service:DesiredCount",
    });
    await expect(aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 5, MaxCapacity: 2 }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("target tracking on a custom backlog metric scales out after 3 minutes above target and in after 15 below", async () => {
    const registered = await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 10 }));
    expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{32}$/);
    const policy = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: "backlog",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 10,
          CustomizedMetricSpecification: { Namespace: "App", MetricName: "BacklogPerTask", Dimensions: [{ Name: "Queue", Value: "jobs" }], Statistic: "Average" },
          ScaleInCooldown: 60,
          ScaleOutCooldown: 60,
        },
      }),
    );
    expect(policy.Alarms!.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-service\/default\/worker-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-service\/default\/worker-AlarmLow-[0-9a-f-]{36}$/),
    ]);

    // Minute boundaries from 00:00: three datapoints above the target are complete at 00:03.
    await backlog(50);
    await sim.advanceClock(120_000);
    expect(await desired()).toBe(1);
    await sim.advanceClock(60_000);
    expect(await desired()).toBe(5);
    const activities = (await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: RESOURCE }))).ScalingActivities!;
    expect(activities[0]).toMatchObject({
      Description: "Setting desired count to 5.",
      Cause: `monitor alarm ${policy.Alarms![0]!.AlarmName} in state ALARM triggered policy backlog`,
      StatusCode: "Successful",
      StatusMessage: "Successfully set desired count to 5. Change successfully fulfilled by ecs.",
    });
    expect(activities[0]!.StartTime).toBeInstanceOf(Date);
    // Still in ALARM after the one-minute cooldown: out again, up to the maximum.
    await sim.advanceClock(60_000);
    expect(await desired()).toBe(10);

    // From 00:04 the backlog is low; fifteen datapoints below 90 % of the target are complete at 00:19.
    await backlog(2);
    await sim.advanceClock(14 * 60_000);
    expect(await desired()).toBe(10);
    await sim.advanceClock(60_000);
    expect(await desired()).toBe(2);
    await sim.advanceClock(60_000);
    expect(await desired()).toBe(1);
    const alarms = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "TargetTracking-service/default/worker" }))).MetricAlarms!;
    expect(alarms.map((a) => [a.EvaluationPeriods, a.ComparisonOperator, a.Threshold])).toEqual([
      [3, "GreaterThanThreshold", 10],
      [15, "LessThanThreshold", 9],
    ]);
  });

  it("never leaves min/max, and raising the minimum scales out at once", async () => {
    await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }));
    await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: "cpu",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } },
      }),
    );
    await admin(sim, "PUT", "/_sim/metrics", { namespace: "AWS/ECS", name: "CPUUtilization", dimensions: { ClusterName: "default", ServiceName: "worker" }, value: 100 });
    await sim.advanceClock(30 * 60_000);
    expect(await desired()).toBe(3);
    await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 4, MaxCapacity: 6 }));
    expect(await desired()).toBe(4);
    const targets = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }))).ScalableTargets!;
    expect(targets[0]).toMatchObject({ MinCapacity: 4, MaxCapacity: 6, RoleARN: expect.stringContaining("AWSServiceRoleForApplicationAutoScaling_ECSService") });
  });

  it("step scaling from a CloudWatch alarm the user creates, with PutMetricData", async () => {
    await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 20 }));
    const { PolicyARN } = await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: "depth-steps",
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          Cooldown: 60,
          StepAdjustments: [
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 100, ScalingAdjustment: 1 },
            { MetricIntervalLowerBound: 100, ScalingAdjustment: 3 },
          ],
        },
      }),
    );
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "queue-deep",
        Namespace: "App",
        MetricName: "Depth",
        Statistic: "Maximum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [PolicyARN!],
      }),
    );
    const now = new Date((await admin(sim, "GET", "/_sim/health")).body.now);
    await cw.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [{ MetricName: "Depth", Value: 200, Timestamp: now }] }));
    await sim.advanceClock(60_000);
    expect(await desired()).toBe(4);
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 60_000),
        EndTime: new Date(now.getTime() + 60_000),
        MetricDataQueries: [
          { Id: "d", MetricStat: { Metric: { Namespace: "App", MetricName: "Depth" }, Period: 60, Stat: "Maximum" } },
          { Id: "perTask", Expression: "d / 4" },
        ],
      }),
    );
    expect(data.MetricDataResults!.map((r) => [r.Id, r.Values])).toEqual([
      ["d", [200]],
      ["perTask", [50]],
    ]);
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: "App", MetricName: "Depth", StartTime: new Date(now.getTime() - 60_000), EndTime: new Date(now.getTime() + 60_000), Period: 60, Statistics: ["Maximum", "SampleCount"] }));
    expect(stats.Datapoints).toEqual([expect.objectContaining({ Maximum: 200, SampleCount: 1 })]);
    const described = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs" }))).ScalingPolicies!;
    expect(described.map((p) => p.PolicyName)).toEqual(["depth-steps"]);
  });

  it("a scheduled action raises the minimum on time", async () => {
    await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 10 }));
    await aas.send(new PutScheduledActionCommand({ ...TARGET, ScheduledActionName: "morning", Schedule: "at(2026-01-01T00:10:00)", ScalableTargetAction: { MinCapacity: 6, MaxCapacity: 10 } }));
    await sim.advanceClock(9 * 60_000);
    expect(await desired()).toBe(1);
    await sim.advanceClock(2 * 60_000);
    expect(await desired()).toBe(6);
    const activity = (await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs" }))).ScalingActivities![0]!;
    expect(activity.Cause).toBe("scheduled action name morning was triggered");
    await aas.send(new DeregisterScalableTargetCommand(TARGET));
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }))).ScalableTargets).toEqual([]);
  });
});
