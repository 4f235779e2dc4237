import { describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { admin, call, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s), { defaultLaunchType: "EC2" });

const BRIDGE_WEB = {
  family: "web",
  containerDefinitions: [{ name: "web", image: "nginx", memory: 512, cpu: 256, portMappings: [{ containerPort: 80 }] }],
};

async function instances(count: number, extra: Record<string, unknown> = {}) {
  const res = await admin(sim, "POST", "/_sim/container-instances", { cluster: "c", instanceType: "m5.large", count, ...extra });
  expect(res.status).toBe(200);
  return res.body.containerInstances as any[];
}

function resource(list: any[], name: string) {
  return list.find((r) => r.name === name);
}

describe("container instances", () => {
  it("registers simulated instances with the agent's resources, attributes and seeded ids, across zones", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    expect(made.map((i) => i.attributes.find((a: any) => a.name === "ecs.availability-zone").value)).toEqual([
      "us-east-1a",
      "us-east-1b",
      "us-east-1c",
    ]);
    for (const i of made) {
      expect(i.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(i.containerInstanceArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/c\/[0-9a-f]{32}$/);
      expect(resource(i.registeredResources, "CPU").integerValue).toBe(2048);
      expect(resource(i.registeredResources, "MEMORY").integerValue).toBe(7985);
      expect(resource(i.registeredResources, "PORTS").stringSetValue).toEqual(["22", "2375", "2376", "51678", "51679"]);
      expect(i.status).toBe("ACTIVE");
      expect(i.agentConnected).toBe(true);
      expect(i.attributes).toContainEqual({ name: "ecs.instance-type", value: "m5.large" });
    }
    const cluster = (await ok(sim, "DescribeClusters", { clusters: ["c"] })).clusters[0];
    expect(cluster.registeredContainerInstancesCount).toBe(3);
    const listed = await ok(sim, "ListContainerInstances", { cluster: "c" });
    expect(listed.containerInstanceArns).toEqual(made.map((i) => i.containerInstanceArn));
  });

  it("registers an agent's RegisterContainerInstance call and gives a restarted agent its instance back", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const identity = JSON.stringify({ instanceId: "i-0123456789abcdef0", instanceType: "c5.large", availabilityZone: "us-east-1b" });
    const first = await ok(sim, "RegisterContainerInstance", {
      cluster: "c",
      instanceIdentityDocument: identity,
      versionInfo: { agentVersion: "1.80.0", agentHash: "abc", dockerVersion: "DockerVersion: 20.10.25" },
      attributes: [{ name: "stack", value: "prod" }],
    });
    expect(first.containerInstance.ec2InstanceId).toBe("i-0123456789abcdef0");
    expect(resource(first.containerInstance.registeredResources, "MEMORY").integerValue).toBe(3984);
    expect(first.containerInstance.attributes).toContainEqual({ name: "stack", value: "prod" });
    const again = await ok(sim, "RegisterContainerInstance", { cluster: "c", instanceIdentityDocument: identity });
    expect(again.containerInstance.containerInstanceArn).toBe(first.containerInstance.containerInstanceArn);
  });

  it("places bridge tasks with dynamic host ports and shows what they hold in remainingResources", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    await ok(sim, "RegisterTaskDefinition", BRIDGE_WEB);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", count: 2 });
    expect(run.failures).toEqual([]);
    expect(run.tasks.map((t: any) => t.launchType)).toEqual(["EC2", "EC2"]);
    expect(run.tasks.every((t: any) => t.containerInstanceArn === inst.containerInstanceArn)).toBe(true);
    await sim.simulator.advanceClock(60_000);
    const described = await ok(sim, "DescribeTasks", { cluster: "c", tasks: run.tasks.map((t: any) => t.taskArn) });
    const ports = described.tasks.map((t: any) => t.containers[0].networkBindings[0].hostPort).sort();
    expect(ports).toEqual([49153, 49154]);
    const view = (await ok(sim, "DescribeContainerInstances", { cluster: "c", containerInstances: [inst.containerInstanceArn] }))
      .containerInstances[0];
    expect(view.runningTasksCount).toBe(2);
    expect(resource(view.remainingResources, "CPU").integerValue).toBe(2048 - 512);
    expect(resource(view.remainingResources, "MEMORY").integerValue).toBe(7985 - 1024);
    expect(resource(view.remainingResources, "PORTS").stringSetValue).toEqual(
      expect.arrayContaining(["22", "2375", "2376", "51678", "51679", "49153", "49154"]),
    );
  });

  it("reports per-instance failures when a task does not fit, and AWS's exception on an empty cluster", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", { family: "big", containerDefinitions: [{ name: "a", image: "x", memory: 7000, cpu: 128 }] });
    const empty = await call(sim, "RunTask", { cluster: "c", taskDefinition: "big" });
    expect(empty.status).toBe(400);
    expect(empty.body.__type).toBe("InvalidParameterException");
    expect(empty.body.message).toBe("No Container Instances were found in your cluster.");
    const [inst] = await instances(1);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "big", count: 2 });
    expect(run.tasks).toHaveLength(1);
    expect(run.failures).toEqual([{ arn: inst.containerInstanceArn, reason: "RESOURCE:MEMORY" }]);
  });

  it("runs the EC2 launch type when no launch type and no strategy are given (AWS's default)", async () => {
    const plain = await startSimulator({ runtime: "simulated", clock: "virtual" });
    try {
      await ok(plain, "CreateCluster", { clusterName: "c" });
      await ok(plain, "RegisterTaskDefinition", BRIDGE_WEB);
      const none = await call(plain, "RunTask", { cluster: "c", taskDefinition: "web" });
      expect(none.body.message).toBe("No Container Instances were found in your cluster.");
      await admin(plain, "POST", "/_sim/container-instances", { cluster: "c", instanceType: "m5.large" });
      const run = await ok(plain, "RunTask", { cluster: "c", taskDefinition: "web" });
      expect(run.tasks[0].launchType).toBe("EC2");
    } finally {
      await plain.close();
    }
  });

  it("StartTask places one task on each named instance and reports unknown ones as MISSING", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", BRIDGE_WEB);
    const res = await ok(sim, "StartTask", {
      cluster: "c",
      taskDefinition: "web",
      containerInstances: [made[1].containerInstanceArn, "0123456789abcdef0123456789abcdef"],
    });
    expect(res.tasks).toHaveLength(1);
    expect(res.tasks[0].containerInstanceArn).toBe(made[1].containerInstanceArn);
    expect(res.failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:000000000000:container-instance/c/0123456789abcdef0123456789abcdef", reason: "MISSING" },
    ]);
  });

  it("a disconnected agent takes no task (AGENT); a DRAINING instance takes none either", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [a, b] = await instances(2);
    await ok(sim, "RegisterTaskDefinition", BRIDGE_WEB);
    expect((await admin(sim, "POST", `/_sim/container-instances/${a.ec2InstanceId}/agent`, { connected: false })).status).toBe(200);
    await ok(sim, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [b.containerInstanceArn], status: "DRAINING" });
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web" });
    expect(run.tasks).toEqual([]);
    expect(run.failures).toContainEqual({ arn: a.containerInstanceArn, reason: "AGENT" });
    const draining = await ok(sim, "ListContainerInstances", { cluster: "c", status: "DRAINING" });
    expect(draining.containerInstanceArns).toEqual([b.containerInstanceArn]);
  });

  it("refuses to deregister an instance with running tasks unless forced; forced tasks are orphaned", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    await ok(sim, "RegisterTaskDefinition", BRIDGE_WEB);
    await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web" });
    const refused = await call(sim, "DeregisterContainerInstance", { cluster: "c", containerInstance: inst.containerInstanceArn });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("Found running tasks on the instance.");
    const forced = await ok(sim, "DeregisterContainerInstance", { cluster: "c", containerInstance: inst.containerInstanceArn, force: true });
    expect(forced.containerInstance.status).toBe("INACTIVE");
    expect(forced.containerInstance.runningTasksCount).toBe(0);
    expect((await ok(sim, "ListContainerInstances", { cluster: "c" })).containerInstanceArns).toEqual([]);
    const cluster = (await ok(sim, "DescribeClusters", { clusters: ["c"] })).clusters[0];
    expect(cluster.registeredContainerInstancesCount).toBe(0);
  });

  it("terminating an instance stops its tasks with EC2's reason and deregisters it", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    await ok(sim, "RegisterTaskDefinition", BRIDGE_WEB);
    const run = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web" });
    await sim.simulator.advanceClock(10_000);
    await admin(sim, "POST", `/_sim/container-instances/${inst.ec2InstanceId}/terminate`, {});
    await sim.simulator.advanceClock(60_000);
    const task = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [run.tasks[0].taskArn] })).tasks[0];
    expect(task.lastStatus).toBe("STOPPED");
    expect(task.stoppedReason).toBe(`Host EC2 (instance ${inst.ec2InstanceId}) terminated.`);
    const view = (await ok(sim, "DescribeContainerInstances", { cluster: "c", containerInstances: [inst.containerInstanceArn] }))
      .containerInstances[0];
    expect(view.status).toBe("INACTIVE");
    expect(view.agentConnected).toBe(false);
  });

  it("a spot notice drains an instance with spot draining on, and EC2 takes it two minutes later", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1, { spotInstanceDraining: true });
    await admin(sim, "POST", `/_sim/container-instances/${inst.ec2InstanceId}/terminate`, { spotNotice: true });
    const describe = async () =>
      (await ok(sim, "DescribeContainerInstances", { cluster: "c", containerInstances: [inst.containerInstanceArn] })).containerInstances[0];
    expect((await describe()).status).toBe("DRAINING");
    await sim.simulator.advanceClock(119_000);
    expect((await describe()).status).toBe("DRAINING");
    await sim.simulator.advanceClock(1_000);
    expect((await describe()).status).toBe("INACTIVE");
  });

  it("filters ListContainerInstances with the cluster query language", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    await admin(sim, "POST", "/_sim/container-instances", { cluster: "c", instanceType: "t3.micro", availabilityZone: "us-east-1a" });
    const inB = await ok(sim, "ListContainerInstances", { cluster: "c", filter: "attribute:ecs.availability-zone == us-east-1b" });
    expect(inB.containerInstanceArns).toEqual([made[1].containerInstanceArn]);
    const t3 = await ok(sim, "ListContainerInstances", { cluster: "c", filter: "attribute:ecs.instance-type =~ t3.*" });
    expect(t3.containerInstanceArns).toHaveLength(1);
  });

  it("puts, lists and deletes custom attributes, with AWS's limit of 10", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    const target = inst.containerInstanceArn;
    const put = await ok(sim, "PutAttributes", { cluster: "c", attributes: [{ name: "stack", value: "prod", targetId: target }] });
    expect(put.attributes).toEqual([{ name: "stack", value: "prod", targetType: "container-instance", targetId: target }]);
    const listed = await ok(sim, "ListAttributes", { cluster: "c", targetType: "container-instance", attributeName: "stack" });
    expect(listed.attributes).toEqual(put.attributes);
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `a${i}`, value: "v", targetId: target }));
    const refused = await call(sim, "PutAttributes", { cluster: "c", attributes: many });
    expect(refused.body.__type).toBe("AttributeLimitExceededException");
    await ok(sim, "DeleteAttributes", { cluster: "c", attributes: [{ name: "stack", targetId: target }] });
    expect((await ok(sim, "ListAttributes", { cluster: "c", targetType: "container-instance", attributeName: "stack" })).attributes).toEqual([]);
    const missing = await call(sim, "PutAttributes", { cluster: "c", attributes: [{ name: "x", targetId: "nope" }] });
    expect(missing.body.__type).toBe("TargetNotFoundException");
  });

  it("answers UpdateContainerAgent as AWS does for an agent that is up to date", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    const res = await call(sim, "UpdateContainerAgent", { cluster: "c", containerInstance: inst.containerInstanceArn });
    expect(res.body.__type).toBe("NoUpdateAvailableException");
    expect(res.body.message).toBe("There is no update available for your container agent.");
  });

  it("publishes ECS Container Instance State Change events", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const seen: any[] = [];
    const off = sim.simulator.events.subscribe({ detailTypes: ["ECS Container Instance State Change"] }, (e) => seen.push(e));
    const [inst] = await instances(1);
    await ok(sim, "UpdateContainerInstancesState", { cluster: "c", containerInstances: [inst.containerInstanceArn], status: "DRAINING" });
    off();
    expect(seen.map((e) => e.detail.status)).toEqual(["ACTIVE", "DRAINING"]);
    expect(seen[0].resources).toEqual([inst.containerInstanceArn]);
    expect(seen[0].detail.clusterArn).toBe("arn:aws:ecs:us-east-1:000000000000:cluster/c");
  });

  it("refuses to delete a cluster that still has instances", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await instances(1);
    const res = await call(sim, "DeleteCluster", { cluster: "c" });
    expect(res.body.__type).toBe("ClusterContainsContainerInstancesException");
    expect(res.body.message).toBe("The Cluster cannot be deleted while Container Instances are active or draining.");
  });

  it("reports the schedulable count of a task size, instance by instance", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(2);
    await ok(sim, "RegisterTaskDefinition", { family: "half", containerDefinitions: [{ name: "a", image: "x", cpu: 512, memory: 2048 }] });
    await ok(sim, "RunTask", { cluster: "c", taskDefinition: "half", count: 2, placementStrategy: [{ type: "binpack", field: "memory" }] });
    const bySize = await admin(sim, "GET", "/_sim/schedulable?cluster=c&cpu=512&memory=2048");
    expect(bySize.status).toBe(200);
    // 7985 MiB holds three 2048 MiB tasks: the binpacked instance has room for one more.
    const rows = bySize.body.capacityProviders[0].instances;
    expect(rows.map((r: any) => r.ec2InstanceId).sort()).toEqual(made.map((i) => i.ec2InstanceId).sort());
    expect(rows.map((r: any) => r.schedulable).sort()).toEqual([1, 3]);
    expect(bySize.body.total).toBe(4);
    const byDefinition = await admin(sim, "GET", "/_sim/schedulable?cluster=c&taskDefinition=half");
    expect(byDefinition.body.total).toBe(4);
    expect((await admin(sim, "GET", "/_sim/schedulable?cluster=c")).status).toBe(400);
    expect((await admin(sim, "GET", "/_sim/schedulable?cluster=nope&cpu=1&memory=1")).status).toBe(404);
  });

  it("host mode takes the container port (a second task conflicts), awsvpc tasks use up the type's interfaces", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const [inst] = await instances(1);
    await ok(sim, "RegisterTaskDefinition", {
      family: "host",
      networkMode: "host",
      containerDefinitions: [{ name: "a", image: "x", memory: 64, portMappings: [{ containerPort: 8080 }] }],
    });
    const first = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "host" });
    expect(first.tasks).toHaveLength(1);
    const second = await ok(sim, "RunTask", { cluster: "c", taskDefinition: "host" });
    expect(second.failures).toEqual([{ arn: inst.containerInstanceArn, reason: "RESOURCE:PORTS" }]);
    await ok(sim, "RegisterTaskDefinition", {
      family: "vpc",
      networkMode: "awsvpc",
      containerDefinitions: [{ name: "a", image: "x", memory: 64 }],
    });
    // m5.large attaches 3 interfaces: the primary one and two for tasks.
    const vpc = await ok(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "vpc",
      count: 3,
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
    });
    expect(vpc.tasks).toHaveLength(2);
    expect(vpc.failures).toEqual([{ arn: inst.containerInstanceArn, reason: "RESOURCE:ENI" }]);
  });

  it("honours memberOf constraints of the request and the task definition", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const made = await instances(3);
    await ok(sim, "RegisterTaskDefinition", {
      ...BRIDGE_WEB,
      family: "zoned",
      placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.availability-zone in [us-east-1b, us-east-1c]" }],
    });
    const run = await ok(sim, "RunTask", {
      cluster: "c",
      taskDefinition: "zoned",
      count: 4,
      placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.availability-zone != us-east-1c" }],
    });
    expect(new Set(run.tasks.map((t: any) => t.containerInstanceArn))).toEqual(new Set([made[1].containerInstanceArn]));
    expect(run.tasks.map((t: any) => t.availabilityZone)).toEqual(["us-east-1b", "us-east-1b", "us-east-1b", "us-east-1b"]);
  });

  it("an instance that boots into a cluster that does not exist never joins, and nothing else breaks", async () => {
    const { ec2InstanceId } = sim.simulator.instances.lifecycle.launch(
      { account: "000000000000", region: "us-east-1" },
      { cluster: "missing", instanceType: "m5.large", bootDelayMs: 30_000 },
    );
    await sim.simulator.advanceClock(60_000);
    const listed = await admin(sim, "GET", "/_sim/container-instances");
    expect(listed.body.containerInstances.map((i: any) => i.ec2InstanceId)).not.toContain(ec2InstanceId);
  });
});
