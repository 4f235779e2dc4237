import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Ec2Messages } from "../../src/errors/ec2-messages.js";
import { Messages } from "../../src/errors/messages.js";
import { call, ok, useVirtualSim } from "../helpers/sim.js";
import { advanceUntil } from "../services/helpers.js";
import { ec2Helpers } from "./helpers.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { defaultLaunchType: "EC2" });

const AGENT = { family: "agent", containerDefinitions: [{ name: "agent", image: "datadog/agent", memory: 256, cpu: 128 }] };
const WEB = { family: "web", containerDefinitions: [{ name: "web", image: "nginx", memory: 1024, cpu: 256, portMappings: [{ containerPort: 80 }] }] };

const { instances, service, tasksOf } = ec2Helpers(() => sim);

async function steady(name: string) {
  // A daemon's desired count is computed by the scheduler's first pass.
  await sim.simulator.advanceClock(1);
  await advanceUntil(sim, async () => {
    const s = await service(name);
    return s.deployments.length === 1 && s.runningCount === s.desiredCount && s.pendingCount === 0;
  });
}

async function daemon(extra: Record<string, unknown> = {}) {
  return ok(sim, "CreateService", { cluster: "c", serviceName: "agent", taskDefinition: "agent", schedulingStrategy: "DAEMON", ...extra });
}

describe("DAEMON services", () => {
  it("refuses what a daemon cannot have, with AWS's texts", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", { ...AGENT, requiresCompatibilities: ["EC2", "FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512" });
    const base = { cluster: "c", serviceName: "agent", taskDefinition: "agent", schedulingStrategy: "DAEMON" };
    const net = { networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } } };
    const cases: [Record<string, unknown>, string][] = [
      [{ launchType: "FARGATE", ...net }, Messages.fargateDaemon],
      [{ desiredCount: 1, ...net }, Ec2Messages.daemonDesiredCount],
      [{ placementStrategy: [{ type: "spread", field: "instanceId" }], ...net }, Ec2Messages.daemonPlacementStrategy],
      [{ deploymentConfiguration: { maximumPercent: 200 }, ...net }, Ec2Messages.daemonMaximumPercent],
      [{ deploymentController: { type: "CODE_DEPLOY" }, ...net }, Ec2Messages.daemonController("CODE_DEPLOY")],
    ];
    for (const [extra, message] of cases) {
      const res = await call(sim, "CreateService", { ...base, ...extra });
      expect(res.body.__type, message).toBe("InvalidParameterException");
      expect(res.body.message).toBe(message);
    }
  });

  it("runs one task per ACTIVE instance with AWS's DAEMON defaults, follows new and draining instances", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", AGENT);
    const counted: any[] = [];
    const off = sim.simulator.events.subscribe({ detailTypes: ["ECS Service Action"] }, (e) => {
      if ((e.detail as any).eventName === "SERVICE_DESIRED_COUNT_UPDATED") counted.push(e);
    });
    const created = await daemon();
    expect(created.service.schedulingStrategy).toBe("DAEMON");
    expect(created.service.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 0, maximumPercent: 100 });
    await steady("agent");
    expect((await service("agent")).desiredCount).toBe(2);
    expect((await tasksOf("agent")).map((t) => t.containerInstanceArn).sort()).toEqual(made.map((i) => i.containerInstanceArn).sort());
    expect((await ok(sim, "ListServices", { cluster: "c", schedulingStrategy: "DAEMON" })).serviceArns).toHaveLength(1);

    const [third] = await instances(1);
    await steady("agent");
    expect((await service("agent")).desiredCount).toBe(3);
    expect((await tasksOf("agent")).filter((t) => t.containerInstanceArn === third.containerInstanceArn)).toHaveLength(1);

    await ok(sim, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [made[0].containerInstanceArn], status: "DRAINING" });
    await steady("agent");
    const after = await tasksOf("agent");
    expect((await service("agent")).desiredCount).toBe(2);
    expect(after.map((t) => t.containerInstanceArn).sort()).toEqual([made[1].containerInstanceArn, third.containerInstanceArn].sort());
    off();
    // Each computed change is announced: 2, then 3, then 2.
    expect(counted).toHaveLength(3);

    // A daemon's count is the scheduler's: UpdateService may not set it, DeleteService needs no scale-down.
    const update = await call(sim, "UpdateService", { cluster: "c", service: "agent", desiredCount: 5 });
    expect(update.body.message).toBe(Ec2Messages.daemonDesiredCount);
    await ok(sim, "DeleteService", { cluster: "c", service: "agent" });
  });

  it("honours its placement constraints, and stops a task whose instance no longer meets them", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    await ok(sim, "PutAttributes", { cluster: "c", attributes: [{ name: "logs", value: "on", targetId: made[0].containerInstanceArn }] });
    await ok(sim, "PutAttributes", { cluster: "c", attributes: [{ name: "logs", value: "on", targetId: made[1].containerInstanceArn }] });
    await ok(sim, "RegisterTaskDefinition", AGENT);
    await daemon({ placementConstraints: [{ type: "memberOf", expression: "attribute:logs == on" }] });
    await steady("agent");
    expect((await service("agent")).desiredCount).toBe(2);
    const violations: any[] = [];
    const off = sim.simulator.events.subscribe({ detailTypes: ["ECS Service Action"] }, (e) => {
      if ((e.detail as any).eventName === "SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED") violations.push(e);
    });
    await ok(sim, "DeleteAttributes", { cluster: "c", attributes: [{ name: "logs", targetId: made[1].containerInstanceArn }] });
    await steady("agent");
    off();
    expect((await tasksOf("agent")).map((t) => t.containerInstanceArn)).toEqual([made[0].containerInstanceArn]);
    expect(violations).toHaveLength(1);
    expect(violations[0].detail.eventType).toBe("ERROR");
  });

  it("deploys a new revision instance by instance: stop first, then start (maximumPercent 100)", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", AGENT);
    await daemon();
    await steady("agent");
    const old = await tasksOf("agent");
    await ok(sim, "RegisterTaskDefinition", { ...AGENT, containerDefinitions: [{ ...AGENT.containerDefinitions[0], image: "datadog/agent:7" }] });
    await ok(sim, "UpdateService", { cluster: "c", service: "agent", taskDefinition: "agent:2" });
    await steady("agent");
    const now = await tasksOf("agent");
    expect(now.every((t) => t.taskDefinitionArn.endsWith(":2"))).toBe(true);
    expect(now.map((t) => t.containerInstanceArn).sort()).toEqual(made.map((i) => i.containerInstanceArn).sort());
    const stopped = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: old.map((t) => t.taskArn) })).tasks;
    expect(stopped.every((t: any) => t.lastStatus === "STOPPED")).toBe(true);
  });

  it("is placed on a new instance before replica tasks waiting for room", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", AGENT);
    // Replicas of 1300 MiB on an m5.large (7985 MiB): six would leave no room for the daemon (256 MiB).
    await ok(sim, "RegisterTaskDefinition", { ...WEB, containerDefinitions: [{ ...WEB.containerDefinitions[0], memory: 1300 }] });
    await ok(sim, "CreateService", { cluster: "c", serviceName: "web", taskDefinition: "web", desiredCount: 8 });
    await daemon();
    await sim.simulator.advanceClock(1_000);
    const [inst] = await instances(1);
    await sim.simulator.advanceClock(1);
    expect((await tasksOf("agent")).map((t) => t.containerInstanceArn)).toEqual([inst.containerInstanceArn]);
    expect(await tasksOf("web")).toHaveLength(5);
  });
});
