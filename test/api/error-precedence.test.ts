import { DescribeTasksCommand, ECSServiceException } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, call, ecsClient, FARGATE_DEF, ok, useVirtualSim } from "../helpers/sim.js";

let sim: RunningSimulator;
useVirtualSim((s) => (sim = s));

const NOT_FOUND = { __type: "ClusterNotFoundException", message: "Cluster not found." };

describe("an unknown cluster is reported before anything else about the request", () => {
  // Each request is also wrong in another way that would otherwise be reported.
  const cases: Array<[string, Record<string, unknown>]> = [
    ["DescribeTasks", { tasks: [] }],
    ["DescribeTasks", { tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) }],
    ["DescribeTasks", {}],
    ["StopTask", {}],
    ["ListTasks", { serviceName: "nope", desiredStatus: "SLEEPING" }],
    ["DescribeServices", { services: [] }],
    ["UpdateService", {}],
    ["DeleteService", { service: "nope" }],
    ["ListServices", { launchType: "BOAT" }],
    ["CreateTaskSet", { service: "nope" }],
    ["UpdateServicePrimaryTaskSet", { service: "nope" }],
    ["RunTask", { taskDefinition: "nope", count: 50 }],
    ["CreateService", { serviceName: "bad name!", taskDefinition: "nope" }],
    ["UpdateTaskProtection", { tasks: [], protectionEnabled: true }],
    ["DescribeContainerInstances", { containerInstances: [] }],
    ["ListContainerInstances", {}],
    ["UpdateContainerInstancesState", { containerInstances: ["x"], status: "DRAINING" }],
    ["ListAttributes", { targetType: "container-instance" }],
    ["ExecuteCommand", { task: "x", command: "ls", interactive: true }],
    ["UpdateClusterSettings", {}],
  ];
  for (const [operation, body] of cases) {
    it(`${operation} ${JSON.stringify(body).slice(0, 60)}`, async () => {
      const res = await call(sim, operation, { cluster: "nope", ...body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(NOT_FOUND);
    });
  }

  it("through the SDK: DescribeTasks with an empty list on an unknown cluster", async () => {
    const ecs = ecsClient(sim.endpoint, { maxAttempts: 1 });
    try {
      const err = await ecs.send(new DescribeTasksCommand({ cluster: "nope", tasks: [] })).catch((e: ECSServiceException) => e);
      expect(err).toBeInstanceOf(ECSServiceException);
      expect([(err as ECSServiceException).name, (err as ECSServiceException).message]).toEqual(["ClusterNotFoundException", "Cluster not found."]);
    } finally {
      ecs.destroy();
    }
  });

  it("a cluster ARN of another account or Region is unknown too", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    const res = await call(sim, "DescribeServices", { cluster: "arn:aws:ecs:eu-west-1:000000000000:cluster/c", services: [] });
    expect(res.body).toEqual(NOT_FOUND);
  });

  it("with a known cluster the other problem is reported as before", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    expect((await call(sim, "DescribeTasks", { cluster: "c", tasks: [] })).body).toEqual({
      __type: "InvalidParameterException",
      message: "Tasks cannot be empty.",
    });
    expect((await call(sim, "StopTask", { cluster: "c" })).body.__type).toBe("InvalidParameterException");
    const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`);
    expect((await call(sim, "DescribeServices", { cluster: "c", services: eleven })).body).toEqual({
      __type: "InvalidParameterException",
      message: "service names can have at most 10 items.",
    });
  });
});

describe("task shapes as AWS returns them", () => {
  it("an awsvpc task reports no networkBindings, as on Fargate, even with port mappings", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", {
      ...FARGATE_DEF,
      containerDefinitions: [{ name: "app", image: "busybox:latest", portMappings: [{ containerPort: 8080 }] }],
    });
    const t = (await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC })).tasks[0];
    await sim.advanceClock(60_000);
    const described = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn] })).tasks[0];
    expect(described.lastStatus).toBe("RUNNING");
    expect(described.containers[0].networkBindings).toEqual([]);
    expect(described.containers[0].networkInterfaces[0].privateIpv4Address).toMatch(/^10\./);
  });

  it("DescribeTasks answers tags: [] unless TAGS is asked for, then the task's tags", async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const tags = [{ key: "team", value: "data" }];
    const t = (await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", networkConfiguration: AWSVPC, tags })).tasks[0];
    const plain = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn] })).tasks[0];
    expect(plain.tags).toEqual([]);
    const withTags = (await ok(sim, "DescribeTasks", { cluster: "c", tasks: [t.taskArn], include: ["TAGS"] })).tasks[0];
    expect(withTags.tags).toEqual(tags);
  });
});
