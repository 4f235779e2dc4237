import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Ec2Messages } from "../../src/errors/ec2-messages.js";
import { call, ok, useVirtualSim, virtualSim } from "../helpers/sim.js";
import { advanceUntil } from "../services/helpers.js";
import { ec2Helpers } from "./helpers.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { defaultLaunchType: "EC2" });

/** A bridge task with a dynamic host port: 256 CPU units, 1 GiB. */
const WEB = {
  family: "web",
  containerDefinitions: [{ name: "web", image: "nginx", memory: 1024, cpu: 256, portMappings: [{ containerPort: 80 }] }],
};

const { instances, service, tasksOf } = ec2Helpers(() => sim);

async function instanceView(arn: string) {
  return (await ok(sim, "DescribeContainerInstances", { cluster: "c", containerInstances: [arn] })).containerInstances[0];
}

const zoneOf = (made: any[], arn: string) => made.find((i) => i.containerInstanceArn === arn)?.attributes.find((a: any) => a.name === "ecs.availability-zone").value;

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

async function steady(name: string, maxMs = 120_000) {
  await advanceUntil(sim, async () => {
    const s = await service(name);
    return s.deployments.length === 1 && s.runningCount === s.desiredCount && s.pendingCount === 0;
  }, maxMs);
}

describe("services on the EC2 launch type", () => {
  it("without a launch type on a cluster without instances: AWS's event, runningCount 0, no error; placed once instances register", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", WEB);
    const created = await call(sim, "CreateService", { cluster: "c", serviceName: "web", taskDefinition: "web", desiredCount: 3 });
    expect(created.status).toBe(200);
    expect(created.body.service.launchType).toBe("EC2");
    await sim.simulator.advanceClock(2_000);
    const waiting = await service("web");
    expect(waiting.runningCount).toBe(0);
    expect(waiting.events.map((e: any) => e.message)).toContain(Ec2Messages.svcUnableToPlaceNoInstances("web"));
    // Retries back off: the same text is not repeated on every attempt.
    await sim.simulator.advanceClock(20_000);
    const repeats = (await service("web")).events.filter((e: any) => e.message === Ec2Messages.svcUnableToPlaceNoInstances("web"));
    expect(repeats.length).toBeLessThanOrEqual(3);

    const made = await instances(3);
    // New capacity wakes the service at once, without waiting out its back-off.
    await sim.simulator.advanceClock(1);
    const placed = await tasksOf("web");
    expect(placed).toHaveLength(3);
    expect(new Set(placed.map((t) => zoneOf(made, t.containerInstanceArn)))).toEqual(new Set(["us-east-1a", "us-east-1b", "us-east-1c"]));
    await steady("web");
  });

  it("when instances exist but none fits, logs the closest instance's reason", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    await ok(sim, "RegisterTaskDefinition", { family: "big", containerDefinitions: [{ name: "a", image: "x", memory: 7000, cpu: 128 }] });
    await ok(sim, "CreateService", { cluster: "c", serviceName: "big", taskDefinition: "big", desiredCount: 2 });
    await sim.simulator.advanceClock(2_000);
    const s = await service("big");
    expect(s.runningCount + s.pendingCount).toBe(1);
    const id = inst.containerInstanceArn.split("/").pop();
    expect(s.events.map((e: any) => e.message)).toContain(
      `(service big) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${id}) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
    );
    // A second instance is new capacity: the missing task is placed there.
    const [second] = await instances(1);
    await sim.simulator.advanceClock(1);
    const placed = await tasksOf("big");
    expect(placed.map((t) => t.containerInstanceArn).sort()).toEqual([inst.containerInstanceArn, second.containerInstanceArn].sort());
  });

  it("stores the placement strategy and constraints, places with them and validates them", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    await ok(sim, "RegisterTaskDefinition", WEB);
    const strategy = [{ type: "binpack", field: "memory" }];
    const constraints = [{ type: "memberOf", expression: "attribute:ecs.availability-zone != us-east-1c" }];
    const created = await ok(sim, "CreateService", {
      cluster: "c",
      serviceName: "packed",
      taskDefinition: "web",
      desiredCount: 4,
      placementStrategy: strategy,
      placementConstraints: constraints,
    });
    expect(created.service.placementStrategy).toEqual(strategy);
    expect(created.service.placementConstraints).toEqual(constraints);
    await sim.simulator.advanceClock(1_000);
    const placed = await tasksOf("packed");
    expect(placed).toHaveLength(4);
    // Bin packing fills one instance first; the constraint keeps the third instance out.
    expect(new Set(placed.map((t) => t.containerInstanceArn))).toEqual(new Set([made[0].containerInstanceArn]));

    const bad = await call(sim, "CreateService", {
      cluster: "c",
      serviceName: "bad",
      taskDefinition: "web",
      desiredCount: 1,
      placementStrategy: [{ type: "binpack", field: "disk" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(Ec2Messages.binpackField("disk"));
    const badUpdate = await call(sim, "UpdateService", { cluster: "c", service: "packed", placementConstraints: [{ type: "distinctInstance", expression: "x" }] });
    expect(badUpdate.body.message).toBe(Ec2Messages.distinctInstanceExpression);
  });

  it("spreads across zones and then instances by default, and scales in keeping the zones balanced", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = [...(await instances(3)), ...(await instances(3))];
    await ok(sim, "RegisterTaskDefinition", WEB);
    await ok(sim, "CreateService", { cluster: "c", serviceName: "web", taskDefinition: "web", desiredCount: 6 });
    await steady("web");
    const placed = await tasksOf("web");
    // Two per zone, one per instance.
    expect(Object.values(countBy(placed, (t) => zoneOf(made, t.containerInstanceArn)))).toEqual([2, 2, 2]);
    expect(new Set(placed.map((t) => t.containerInstanceArn)).size).toBe(6);
    await ok(sim, "UpdateService", { cluster: "c", service: "web", desiredCount: 3 });
    await steady("web");
    const left = await tasksOf("web");
    expect(Object.values(countBy(left, (t) => zoneOf(made, t.containerInstanceArn)))).toEqual([1, 1, 1]);
  });

  it("publishes a placement failure event on the hub for RunTask, StartTask and services", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const seen: any[] = [];
    const off = sim.simulator.events.subscribe({ detailTypes: ["ecs-sim Task Placement Failure"] }, (e) => seen.push(e));
    await ok(sim, "RegisterTaskDefinition", { family: "big", containerDefinitions: [{ name: "a", image: "x", memory: 7000, cpu: 128 }] });
    await call(sim, "RunTask", { cluster: "c", taskDefinition: "big" });
    const [inst] = await instances(1);
    await ok(sim, "RunTask", { cluster: "c", taskDefinition: "big", count: 3 });
    await ok(sim, "StartTask", { cluster: "c", taskDefinition: "big", containerInstances: [inst.containerInstanceArn] });
    await ok(sim, "CreateService", { cluster: "c", serviceName: "big", taskDefinition: "big", desiredCount: 1 });
    await sim.simulator.advanceClock(1_000);
    off();
    expect(seen.map((e) => [e.detail.operation, e.detail.reason, e.detail.unplacedCount])).toEqual([
      ["RunTask", "NO_CONTAINER_INSTANCES", 1],
      ["RunTask", "NO_INSTANCE_MET_REQUIREMENTS", 2],
      ["StartTask", "NO_INSTANCE_MET_REQUIREMENTS", 1],
      ["ServiceScheduler", "NO_INSTANCE_MET_REQUIREMENTS", 1],
    ]);
    expect(seen[1].source).toBe("aws.ecs");
    expect(seen[1].resources).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/c"]);
    expect(seen[1].detail.failures).toEqual([{ arn: inst.containerInstanceArn, reason: "RESOURCE:MEMORY" }]);
    expect(seen[3].detail.serviceName).toBe("big");
    expect(seen[3].detail.group).toBe("service:big");
  });

  it("the placement failure event can be switched off", async () => {
    const quiet = await virtualSim({ defaultLaunchType: "EC2", events: { placementFailures: false } });
    try {
      await ok(quiet, "CreateCluster", { clusterName: "c" });
      await ok(quiet, "RegisterTaskDefinition", WEB);
      await call(quiet, "RunTask", { cluster: "c", taskDefinition: "web" });
      expect(quiet.simulator.events.list().filter((e) => e["detail-type"] === "ecs-sim Task Placement Failure")).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

describe("draining container instances", () => {
  it("replaces service tasks elsewhere first (maximumPercent allows), leaves standalone tasks alone, and ends with no service task", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    await ok(sim, "RegisterTaskDefinition", WEB);
    await ok(sim, "CreateService", { cluster: "c", serviceName: "web", taskDefinition: "web", desiredCount: 3 });
    await steady("web");
    const victim = made[0].containerInstanceArn;
    const standalone = await ok(sim, "StartTask", { cluster: "c", taskDefinition: "web", containerInstances: [victim] });
    await sim.simulator.advanceClock(5_000);
    const before = (await tasksOf("web")).find((t) => t.containerInstanceArn === victim);
    expect(before).toBeDefined();

    await ok(sim, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [victim], status: "DRAINING" });
    await sim.simulator.advanceClock(1);
    // minimumHealthyPercent 100: the old task keeps running while its replacement starts elsewhere.
    const during = await tasksOf("web");
    expect(during).toHaveLength(4);
    expect(during.find((t) => t.taskArn === before.taskArn).desiredStatus).toBe("RUNNING");
    expect(during.filter((t) => t.taskArn !== before.taskArn).every((t) => t.containerInstanceArn !== victim)).toBe(true);

    await advanceUntil(sim, async () => (await instanceView(victim)).runningTasksCount === 1);
    await steady("web");
    const stopped = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [before.taskArn] })).tasks[0];
    expect(stopped.lastStatus).toBe("STOPPED");
    expect(stopped.stopCode).toBe("ServiceSchedulerInitiated");
    const own = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [standalone.tasks[0].taskArn] })).tasks[0];
    expect(own.lastStatus).toBe("RUNNING");
    expect((await tasksOf("web")).every((t) => t.containerInstanceArn !== victim)).toBe(true);
  });

  it("stops at once when maximumPercent leaves no room, and stops PENDING service tasks at once", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", WEB);
    await ok(sim, "CreateService", {
      cluster: "c",
      serviceName: "web",
      taskDefinition: "web",
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
    });
    // Straight away: the tasks are still PENDING when their instance drains.
    await sim.simulator.advanceClock(1);
    const pending = await tasksOf("web");
    expect(pending.every((t) => t.lastStatus !== "RUNNING")).toBe(true);
    const victim = made[0].containerInstanceArn;
    await ok(sim, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [victim], status: "DRAINING" });
    await sim.simulator.advanceClock(1);
    const onVictim = pending.find((t) => t.containerInstanceArn === victim);
    const now = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [onVictim.taskArn] })).tasks[0];
    expect(now.desiredStatus).toBe("STOPPED");
    await steady("web");
    expect((await tasksOf("web")).map((t) => t.containerInstanceArn)).toEqual([made[1].containerInstanceArn, made[1].containerInstanceArn]);
  });

  it("a forced deregistration orphans the tasks: they run on, and the service starts replacements", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", WEB);
    await ok(sim, "CreateService", { cluster: "c", serviceName: "web", taskDefinition: "web", desiredCount: 2 });
    await steady("web");
    const victim = made[0].containerInstanceArn;
    const orphan = (await tasksOf("web")).find((t) => t.containerInstanceArn === victim);
    await ok(sim, "DeregisterContainerInstance", { cluster: "c", containerInstance: victim, force: true });
    await sim.simulator.advanceClock(1);
    await steady("web");
    const s = await service("web");
    expect(s.runningCount).toBe(2);
    const own = (await tasksOf("web")).filter((t) => t.taskArn !== orphan.taskArn);
    expect(own).toHaveLength(2);
    expect(own.every((t) => t.containerInstanceArn === made[1].containerInstanceArn)).toBe(true);
    const still = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [orphan.taskArn] })).tasks[0];
    expect(still.lastStatus).toBe("RUNNING");
  });
});
