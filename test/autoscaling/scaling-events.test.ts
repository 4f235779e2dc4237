import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/index.js";
import { admin, AWSVPC, ok } from "../helpers/sim.js";
import { webDefinition } from "../services/helpers.js";

const ACTIVITY = "Application Auto Scaling Scaling Activity State Change";
const ALARM = "CloudWatch Alarm State Change";

describe("scaling on the event hub", () => {
  it("every scaling activity and alarm state change reaches webhooks, subscribers, SSE and GET /_sim/events as EventBridge events", async () => {
    const hooked: any[] = [];
    let wanted!: () => void;
    const gotScaleOut = new Promise<void>((r) => (wanted = r));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const event = JSON.parse(body);
        hooked.push(event);
        if (event["detail-type"] === ACTIVITY) wanted();
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 3, events: { webhooks: [{ url }] } });
    try {
      const subscribed: any[] = [];
      sim.simulator.events.subscribe({ detailTypes: [ACTIVITY, ALARM] }, (e) => subscribed.push(e));
      // An SSE reader asking for scaling activities only.
      const abort = new AbortController();
      const stream = await fetch(`${sim.endpoint}/_sim/events?stream=1&detailType=${encodeURIComponent(ACTIVITY)}`, { signal: abort.signal });
      const firstSse = (async () => {
        const reader = stream.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended");
          buffer += decoder.decode(value, { stream: true });
          const block = buffer.split("\n\n").find((b) => b.includes("\ndata:") || b.startsWith("data:"));
          if (block) return Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        }
      })();
      await ok(sim, "CreateCluster", { clusterName: "default" });
      await ok(sim, "RegisterTaskDefinition", webDefinition("worker"));
      await ok(sim, "CreateService", { cluster: "default", serviceName: "worker", taskDefinition: "worker", desiredCount: 1, launchType: "FARGATE", networkConfiguration: AWSVPC });
      const target = { ServiceNamespace: "ecs", ResourceId: "service/default/worker", ScalableDimension: "ecs:service:DesiredCount" };
      await sim.simulator.invokeScaling("application-autoscaling", "RegisterScalableTarget", { ...target, MinCapacity: 1, MaxCapacity: 3 });
      const policy = (await sim.simulator.invokeScaling("application-autoscaling", "PutScalingPolicy", {
        ...target,
        PolicyName: "backlog",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, CustomizedMetricSpecification: { Namespace: "App", MetricName: "Backlog", Statistic: "Average" }, DisableScaleIn: true },
      })) as any;
      await admin(sim, "PUT", "/_sim/metrics", { namespace: "App", name: "Backlog", value: 50 });
      await sim.advanceClock(3 * 60_000);
      await gotScaleOut;

      const activity = subscribed.find((e) => e["detail-type"] === ACTIVITY);
      expect(activity).toMatchObject({
        version: "0",
        source: "aws.application-autoscaling",
        account: "000000000000",
        region: "us-east-1",
        resources: [],
        detail: {
          oldDesiredCapacity: 1,
          newDesiredCapacity: 3,
          minCapacity: 1,
          maxCapacity: 3,
          resourceId: "service/default/worker",
          scalableDimension: "ecs:service:DesiredCount",
          serviceNamespace: "ecs",
          statusCode: "Successful",
          scaledToMax: true,
          direction: "scale-out",
          description: "Setting desired count to 3.",
        },
      });
      expect(activity.detail.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const alarmName = policy.Alarms[0].AlarmName;
      const alarm = subscribed.find((e) => e["detail-type"] === ALARM && e.detail.state.value === "ALARM");
      expect(alarm).toMatchObject({
        source: "aws.cloudwatch",
        resources: [`arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarmName}`],
        detail: {
          alarmName,
          // One datapoint of the three is not enough: OK first, ALARM once three are above the target.
          previousState: { value: "OK" },
          configuration: { metrics: [{ id: "m1", metricStat: { metric: { namespace: "App", name: "Backlog", dimensions: {} }, period: 60, stat: "Average" }, returnData: true }] },
        },
      });
      expect(alarm.detail.state.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      expect(hooked.map((e) => e.id)).toEqual(expect.arrayContaining([activity.id, alarm.id]));
      const listed = (await admin(sim, "GET", `/_sim/events?detailType=${encodeURIComponent(ACTIVITY)}`)).body;
      expect(JSON.stringify(listed)).toContain(activity.id);
      const sse = await firstSse;
      abort.abort();
      expect(sse.event).toBe(ACTIVITY);
      expect(JSON.parse(sse.data).id).toBe(activity.id);
      // They name no ECS cluster: a cluster filter leaves them out.
      const byCluster = (await admin(sim, "GET", "/_sim/events?cluster=default")).body;
      expect(JSON.stringify(byCluster)).not.toContain(activity.id);
    } finally {
      await sim.close();
      server.close();
    }
  });
});
