import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { loadAt, parseLoadProfile } from "../../src/runtime/simulated/load-profile.js";
import { usageFromStats } from "../../src/runtime/docker/stats.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";
import { describe as describeService, webDefinition } from "../services/helpers.js";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const TARGET = { ServiceNamespace: "ecs", ResourceId: "service/default/worker", ScalableDimension: "ecs:service:DesiredCount" } as const;
const SERVICE_DIMS = [
  { Name: "ClusterName", Value: "default" },
  { Name: "ServiceName", Value: "worker" },
];

let sim: RunningSimulator | undefined;
let server: Server | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const metricNames = async (s: RunningSimulator) =>
  (await admin(s, "GET", "/_sim/metrics")).body.regions.flatMap((r: any) => r.metrics.map((m: any) => `${m.id.Namespace}/${m.id.MetricName}`));

describe("load profiles (ECS_SIM_CPU, ECS_SIM_MEMORY)", () => {
  it("reads a constant and steps over time since the container started", () => {
    expect(parseLoadProfile("45")).toEqual([{ atMs: 0, percent: 45 }]);
    const steps = parseLoadProfile("20,80@60s,10@5m");
    expect([0, 59_999, 60_000, 299_999, 300_000].map((t) => loadAt(steps, t))).toEqual([20, 20, 80, 80, 10]);
    // Every value after the first needs its offset; a profile that does not parse is no load.
    expect(parseLoadProfile("20,80")).toBeUndefined();
    expect(parseLoadProfile("lots")).toBeUndefined();
    expect(loadAt(undefined, 1000)).toBe(0);
  });
});

describe("Docker stats as task utilization", () => {
  it("measures CPU against the task's CPU units and memory without the page cache against its memory", () => {
    const spec = { cpu: 512, memory: 1024, containers: [{ cpu: 0 }] } as never;
    const usage = usageFromStats(spec, [
      {
        // A quarter of one of 4 host CPUs' time over the window = 0.25 vCPU = 50 % of 512 units.
        cpu_stats: { cpu_usage: { total_usage: 1_250_000 }, system_cpu_usage: 20_000_000, online_cpus: 4 },
        precpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 0 },
        memory_stats: { usage: 300 * 1024 * 1024, stats: { inactive_file: 44 * 1024 * 1024 } },
      },
    ]);
    expect(usage.cpuPercent).toBeCloseTo(50);
    expect(usage.memoryPercent).toBeCloseTo(25);
  });
});

describe("service utilization from the simulated runtime", () => {
  it("is measured only once a policy needs it, and drives target tracking on CPU", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 7 });
    const s = sim;
    await ok(s, "CreateCluster", { clusterName: "default" });
    await ok(s, "RegisterTaskDefinition", webDefinition("worker", { ECS_SIM_CPU: "20,90@3m", ECS_SIM_MEMORY: "35" }));
    await ok(s, "CreateService", { cluster: "default", serviceName: "worker", taskDefinition: "worker", desiredCount: 2, launchType: "FARGATE", networkConfiguration: AWSVPC });
    await s.advanceClock(5 * 60_000);
    // No policy reads the service's utilization yet: nothing is polled.
    expect(await metricNames(s)).toEqual([]);

    const aas = new ApplicationAutoScalingClient({ endpoint: s.endpoint, region: "us-east-1", credentials });
    const cw = new CloudWatchClient({ endpoint: s.endpoint, region: "us-east-1", credentials });
    try {
      await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 8 }));
      await aas.send(
        new PutScalingPolicyCommand({
          ...TARGET,
          PolicyName: "cpu50",
          PolicyType: "TargetTrackingScaling",
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" }, ScaleOutCooldown: 60 },
        }),
      );
      // A user alarm on memory makes that metric measured too.
      await cw.send(
        new PutMetricAlarmCommand({ AlarmName: "mem", Namespace: "AWS/ECS", MetricName: "MemoryUtilization", Dimensions: SERVICE_DIMS, Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: "GreaterThanThreshold" }),
      );
      // The tasks have run longer than 3 minutes: 90 % each, above the target from the first sample.
      await s.advanceClock(3 * 60_000);
      expect((await describeService(s, "worker")).desiredCount).toBe(2);
      await s.advanceClock(60_000);
      // ceil(2 × 90 / 50) = 4 tasks.
      expect((await describeService(s, "worker")).desiredCount).toBe(4);
      const now = Date.parse((await admin(s, "GET", "/_sim/health")).body.now);
      const cpu = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: "AWS/ECS", MetricName: "CPUUtilization", Dimensions: SERVICE_DIMS, StartTime: new Date(now - 10 * 60_000), EndTime: new Date(now), Period: 60, Statistics: ["Average", "SampleCount"] }),
      );
      expect(cpu.Datapoints!.length).toBeGreaterThanOrEqual(3);
      expect(cpu.Datapoints!.every((d) => d.Average === 90 && d.SampleCount === 2)).toBe(true);
      const memory = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: "AWS/ECS", MetricName: "MemoryUtilization", Dimensions: SERVICE_DIMS, StartTime: new Date(now - 10 * 60_000), EndTime: new Date(now), Period: 60, Statistics: ["Maximum"] }),
      );
      expect(memory.Datapoints!.map((d) => d.Maximum)).toContain(35);
    } finally {
      aas.destroy();
      cw.destroy();
    }
  });

  it("profiles follow each task's own start: a new task starts at the profile's first value", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 8 });
    const s = sim;
    await ok(s, "CreateCluster", { clusterName: "default" });
    await ok(s, "RegisterTaskDefinition", webDefinition("worker", { ECS_SIM_CPU: "10,70@2m" }));
    await ok(s, "CreateService", { cluster: "default", serviceName: "worker", taskDefinition: "worker", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
    await admin(s, "PUT", "/_sim/metrics", { namespace: "AWS/ECS", name: "CPUUtilization", dimensions: { ClusterName: "default", ServiceName: "worker" }, value: 1 });
    const cw = new CloudWatchClient({ endpoint: s.endpoint, region: "us-east-1", credentials });
    try {
      await cw.send(new PutMetricAlarmCommand({ AlarmName: "cpu", Namespace: "AWS/ECS", MetricName: "CPUUtilization", Dimensions: SERVICE_DIMS, Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: "GreaterThanThreshold" }));
      await s.advanceClock(5 * 60_000);
      // A value set by hand wins: the runtime is not polled for it.
      const listed = (await admin(s, "GET", "/_sim/metrics")).body.regions[0].metrics;
      expect(listed).toEqual([expect.objectContaining({ points: 0, gauge: [expect.objectContaining({ value: 1 })] })]);
    } finally {
      cw.destroy();
    }
  });
});

describe("SQS queue depth from a configured endpoint", () => {
  it("polls GetQueueAttributes on the simulator's clock and files ApproximateNumberOfMessagesVisible", async () => {
    const requests: { target: string; body: any }[] = [];
    let depth = 0;
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        requests.push({ target: String(req.headers["x-amz-target"]), body: JSON.parse(raw) });
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ Attributes: { ApproximateNumberOfMessages: String(depth) } }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const queueUrl = `${endpoint}/000000000000/jobs`;
    sim = await startSimulator({
      runtime: "simulated",
      clock: "virtual",
      seed: 9,
      metrics: { sqs: [{ queueUrl, endpoint, region: "us-east-1", periodSeconds: 60, credentials: { accessKeyId: "x", secretAccessKey: "y" } }] },
    });
    const s = sim;
    depth = 120;
    await s.advanceClock(60_000);
    depth = 480;
    await s.advanceClock(60_000);
    expect(requests.length).toBe(2);
    expect(requests[0]).toEqual({ target: "AmazonSQS.GetQueueAttributes", body: { QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] } });
    const cw = new CloudWatchClient({ endpoint: s.endpoint, region: "us-east-1", credentials });
    try {
      const now = Date.parse((await admin(s, "GET", "/_sim/health")).body.now);
      const stats = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: "jobs" }], StartTime: new Date(now - 5 * 60_000), EndTime: new Date(now + 60_000), Period: 60, Statistics: ["Maximum"] }),
      );
      expect(stats.Datapoints!.map((d) => d.Maximum).sort((a, b) => a! - b!)).toEqual([120, 480]);
    } finally {
      cw.destroy();
    }
  });

  it("logs and skips a failed read, as a missing datapoint", async () => {
    server = createServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const lines: string[] = [];
    sim = await startSimulator(
      { runtime: "simulated", clock: "virtual", logLevel: "warn", metrics: { sqs: [{ queueUrl: `${endpoint}/000000000000/gone`, endpoint, credentials: { accessKeyId: "x", secretAccessKey: "y" } }] } },
      { logWrite: (line) => void lines.push(line) },
    );
    await sim.advanceClock(2 * 60_000);
    expect(await metricNames(sim)).toEqual([]);
    expect(lines.filter((l) => l.includes("metrics: SQS queue gone could not be read: The specified queue does not exist."))).toHaveLength(2);
  });

  it("refuses a bad queue entry at start", async () => {
    await expect(startSimulator({ runtime: "simulated", clock: "virtual", metrics: { sqs: [{ queueUrl: "not a url" }] } })).rejects.toThrow(/invalid metrics configuration/);
  });
});
