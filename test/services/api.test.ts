import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesInactive,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import { afterEach, describe as suite, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { advanceUntil, AWSVPC, call, describe, newSim, ok, register, SERVICE_BASE, serviceTasks, webDefinition } from "./helpers.js";

let sim: RunningSimulator;
afterEach(async () => sim?.close());

function client(endpoint: string): ECSClient {
  return new ECSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
}

suite("services through the SDK and its waiters (real clock, fast timing)", () => {
  it("a 2-task service reaches steady state and waitUntilServicesStable succeeds; deleted, it goes INACTIVE", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "real", timing: "fast", seed: 11, quotas: { profile: "unlimited" } });
    const ecs = client(sim.endpoint);
    await ecs.send(new CreateClusterCommand({}));
    const td = await ecs.send(new RegisterTaskDefinitionCommand(webDefinition("api") as any));
    await ecs.send(
      new CreateServiceCommand({
        serviceName: "api",
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: AWSVPC as any,
      }),
    );
    const result = await waitUntilServicesStable({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { services: ["api"] });
    expect(result.state).toBe("SUCCESS");
    const described = await ecs.send(new DescribeServicesCommand({ services: ["api"] }));
    const svc = described.services![0]!;
    expect(svc.runningCount).toBe(2);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.createdAt).toBeInstanceOf(Date);
    expect(svc.events![0]!.createdAt).toBeInstanceOf(Date);

    await ecs.send(new UpdateServiceCommand({ service: "api", desiredCount: 0 }));
    const deleted = await ecs.send(new DeleteServiceCommand({ service: "api" }));
    expect(deleted.service!.status).toBe("DRAINING");
    const inactive = await waitUntilServicesInactive({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { services: ["api"] });
    expect(inactive.state).toBe("SUCCESS");
  });
});

suite("the deploy action's flow (real clock)", () => {
  it("a broken revision rolls back; the waiter succeeds and the new deployment id is gone", async () => {
    sim = await startSimulator({
      runtime: "simulated",
      clock: "real",
      timing: "fast",
      seed: 12,
      quotas: { profile: "unlimited" },
      services: { healthyAfterMs: 200 },
    });
    const ecs = client(sim.endpoint);
    await ecs.send(new CreateClusterCommand({}));
    const good = await ecs.send(new RegisterTaskDefinitionCommand(webDefinition("app") as any));
    await ecs.send(
      new CreateServiceCommand({
        serviceName: "app",
        taskDefinition: good.taskDefinition!.taskDefinitionArn!,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: AWSVPC as any,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    expect((await waitUntilServicesStable({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { services: ["app"] })).state).toBe("SUCCESS");
    const broken = await ecs.send(
      new RegisterTaskDefinitionCommand(webDefinition("app", { ECS_SIM_RUN_MS: "100", ECS_SIM_EXIT_CODE: "1" }) as any),
    );
    // What aws-actions/amazon-ecs-deploy-task-definition does: update, remember the new PRIMARY, wait, check.
    const updated = await ecs.send(
      new UpdateServiceCommand({ service: "app", taskDefinition: broken.taskDefinition!.taskDefinitionArn!, forceNewDeployment: false, volumeConfigurations: [] }),
    );
    const newId = updated.service!.deployments!.find((d) => d.status === "PRIMARY")!.id!;
    expect((await waitUntilServicesStable({ client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { services: ["app"] })).state).toBe("SUCCESS");
    const after = (await ecs.send(new DescribeServicesCommand({ services: ["app"] }))).services![0]!;
    expect(after.deployments!.some((d) => d.id === newId)).toBe(false);
    expect(after.taskDefinition).toBe(good.taskDefinition!.taskDefinitionArn);
    expect(after.events!.map((e) => e.message)).toContain("(service app) deployment failed: tasks failed to start.");
  });
});

suite("the service API", () => {
  it("returns every list clients index, TAGS on request, and MISSING failures", async () => {
    sim = await newSim();
    const td = await register(sim, webDefinition("web"));
    const created = await ok(sim, "CreateService", {
      ...SERVICE_BASE,
      serviceName: "web",
      taskDefinition: "web",
      desiredCount: 1,
      tags: [{ key: "team", value: "a" }],
      propagateTags: "SERVICE",
      enableECSManagedTags: true,
    });
    const s = created.service;
    expect(s).toMatchObject({
      serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web",
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/default",
      status: "ACTIVE",
      taskDefinition: td,
      desiredCount: 1,
      runningCount: 0,
      pendingCount: 0,
      launchType: "FARGATE",
      schedulingStrategy: "REPLICA",
      deploymentController: { type: "ECS" },
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
    });
    for (const key of ["deployments", "events", "taskSets", "loadBalancers", "serviceRegistries", "placementConstraints", "placementStrategy"]) {
      expect(Array.isArray(s[key]), key).toBe(true);
    }
    expect(s.tags).toBeUndefined();

    const res = await ok(sim, "DescribeServices", { cluster: "default", services: ["web", "nope"], include: ["TAGS"] });
    expect(res.services[0].tags).toEqual([{ key: "team", value: "a" }]);
    expect(res.failures).toEqual([{ arn: "arn:aws:ecs:us-east-1:000000000000:service/default/nope", reason: "MISSING" }]);

    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 1);
    const [task] = await serviceTasks(sim, "web");
    expect(task.group).toBe("service:web");
    expect(task.startedBy).toBe(s.deployments[0].id);
    const tags = await ok(sim, "ListTagsForResource", { resourceArn: task.taskArn });
    expect(tags.tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "a" },
        { key: "aws:ecs:serviceName", value: "web" },
        { key: "aws:ecs:clusterName", value: "default" },
      ]),
    );
    // ListTasks by service name and by startedBy both find it.
    expect((await ok(sim, "ListTasks", { cluster: "default", startedBy: s.deployments[0].id })).taskArns).toEqual([task.taskArn]);
  });

  it("lists ACTIVE services with pagination and filters", async () => {
    sim = await newSim({}, { capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    await register(sim, webDefinition("web"));
    for (const name of ["a", "b", "c"]) {
      await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: name, taskDefinition: "web", desiredCount: 0 });
    }
    await ok(sim, "CreateService", {
      cluster: "default",
      serviceName: "spot",
      taskDefinition: "web",
      desiredCount: 0,
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    const page1 = await ok(sim, "ListServices", { cluster: "default", maxResults: 2 });
    expect(page1.serviceArns).toHaveLength(2);
    const page2 = await ok(sim, "ListServices", { cluster: "default", maxResults: 2, nextToken: page1.nextToken });
    expect(page2.nextToken).toBeUndefined();
    expect([...page1.serviceArns, ...page2.serviceArns].map((a: string) => a.split("/").pop())).toEqual(["a", "b", "c", "spot"]);
    expect((await ok(sim, "ListServices", { cluster: "default", launchType: "FARGATE" })).serviceArns).toHaveLength(3);
    expect((await ok(sim, "ListServices", { cluster: "default", schedulingStrategy: "DAEMON" })).serviceArns).toHaveLength(0);
    await ok(sim, "DeleteService", { cluster: "default", service: "b" });
    expect((await ok(sim, "ListServices", { cluster: "default" })).serviceArns.map((a: string) => a.split("/").pop())).toEqual(["a", "c", "spot"]);
    // DRAINING and INACTIVE services stay describable.
    expect((await describe(sim, "b")).status).toBe("DRAINING");
    await sim.advanceClock(1_000);
    expect((await describe(sim, "b")).status).toBe("INACTIVE");
  });

  it("creation is idempotent for the same request and refused for a different one", async () => {
    sim = await newSim();
    await register(sim, webDefinition("web"));
    const input = { ...SERVICE_BASE, serviceName: "web", taskDefinition: "web", desiredCount: 1 };
    const first = await ok(sim, "CreateService", { ...input, clientToken: "t1" });
    const again = await ok(sim, "CreateService", { ...input, clientToken: "t2" });
    expect(again.service.deployments[0].id).toBe(first.service.deployments[0].id);
    const different = await call(sim, "CreateService", { ...input, desiredCount: 3 });
    expect(different.status).toBe(400);
    expect(different.body).toEqual({ __type: "InvalidParameterException", message: "Creation of service was not idempotent." });
    // A DRAINING service's name is still taken.
    await ok(sim, "DeleteService", { cluster: "default", service: "web", force: true });
    expect((await call(sim, "CreateService", input)).body.message).toBe("Creation of service was not idempotent.");
    // Once INACTIVE, the name can be used again.
    await advanceUntil(sim, async () => (await describe(sim, "web")).status === "INACTIVE");
    const reborn = await ok(sim, "CreateService", input);
    expect(reborn.service.status).toBe("ACTIVE");
    expect(reborn.service.deployments[0].id).not.toBe(first.service.deployments[0].id);
  });

  it("DeleteService needs force above 0, drains the tasks and ends INACTIVE", async () => {
    sim = await newSim();
    await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: "web", desiredCount: 2 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).runningCount === 2);
    const refused = await call(sim, "DeleteService", { cluster: "default", service: "web" });
    expect(refused.body).toEqual({ __type: "InvalidParameterException", message: "The service cannot be stopped while it is scaled above 0." });
    const deleted = await ok(sim, "DeleteService", { cluster: "default", service: "web", force: true });
    expect(deleted.service).toMatchObject({ status: "DRAINING", desiredCount: 0 });
    const update = await call(sim, "UpdateService", { cluster: "default", service: "web", desiredCount: 1 });
    expect(update.body).toEqual({ __type: "ServiceNotActiveException", message: "Service was not ACTIVE." });
    await advanceUntil(sim, async () => (await describe(sim, "web")).status === "INACTIVE");
    const s = await describe(sim, "web");
    expect(s.runningCount).toBe(0);
    const stopped = await serviceTasks(sim, "web", "default", "STOPPED");
    expect(stopped.every((t) => t.stopCode === "ServiceSchedulerInitiated")).toBe(true);
    expect((await call(sim, "DeleteService", { cluster: "default", service: "web" })).body.__type).toBe("ServiceNotActiveException");
    // The cluster can go once its services are INACTIVE.
    await ok(sim, "DeleteCluster", { cluster: "default" });
  });

  it("answers with the reference's errors", async () => {
    sim = await newSim({}, { capacityProviders: ["FARGATE"] });
    const td = await register(sim, webDefinition("web"));
    const err = async (op: string, body: Record<string, unknown>) => (await call(sim, op, body)).body;

    expect(await err("UpdateService", { cluster: "default", service: "ghost", desiredCount: 1 })).toEqual({
      __type: "ServiceNotFoundException",
      message: "Service not found.",
    });
    expect(await err("DescribeServices", { cluster: "nope", services: ["x"] })).toEqual({
      __type: "ClusterNotFoundException",
      message: "Cluster not found.",
    });
    expect(await err("CreateService", { cluster: "default", serviceName: "x", taskDefinition: td, desiredCount: 1 })).toEqual({
      __type: "InvalidParameterException",
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    expect(
      await err("CreateService", {
        ...SERVICE_BASE,
        serviceName: "x",
        taskDefinition: td,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      }),
    ).toEqual({
      __type: "InvalidParameterException",
      message: "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
    });
    expect(
      (await err("CreateService", {
        cluster: "default",
        serviceName: "x",
        taskDefinition: td,
        networkConfiguration: AWSVPC,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      })).message,
    ).toBe(
      "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
    );
    expect((await err("CreateService", { ...SERVICE_BASE, serviceName: "bad name!", taskDefinition: td })).__type).toBe("InvalidParameterException");

    // Inactive and deleted task definitions.
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: td });
    expect(await err("CreateService", { ...SERVICE_BASE, serviceName: "x", taskDefinition: td })).toEqual({
      __type: "InvalidParameterException",
      message: "TaskDefinition is inactive",
    });
    await ok(sim, "DeleteTaskDefinitions", { taskDefinitions: [td] });
    expect(await err("CreateService", { ...SERVICE_BASE, serviceName: "x", taskDefinition: td })).toEqual({
      __type: "ClientException",
      message: "TaskDefinition is being deleted and cannot be used to run tasks or create services.",
    });

    const v2 = await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "svc", taskDefinition: v2, desiredCount: 0 });
    const v3 = await register(sim, webDefinition("web"));
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: v3 });
    expect(await err("UpdateService", { cluster: "default", service: "svc", taskDefinition: v3 })).toEqual({
      __type: "ClientException",
      message: "TaskDefinition is inactive",
    });
    expect((await err("UpdateService", { cluster: "default", service: "svc", taskDefinition: "web:99" })).message).toBe("TaskDefinition not found.");
    // The running definition may be deregistered and the service still scales and redeploys it.
    await ok(sim, "DeregisterTaskDefinition", { taskDefinition: v2 });
    await ok(sim, "UpdateService", { cluster: "default", service: "svc", desiredCount: 1, forceNewDeployment: true });
    await advanceUntil(sim, async () => (await describe(sim, "svc")).runningCount === 1);
  });

  it("UpdateService accepts what the deploy action sends, forceNewDeployment makes a new deployment", async () => {
    sim = await newSim();
    await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: "web", desiredCount: 1 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).deployments[0].rolloutState === "COMPLETED");
    const before = (await describe(sim, "web")).deployments[0].id;
    const res = await ok(sim, "UpdateService", {
      cluster: "default",
      service: "web",
      taskDefinition: "web",
      forceNewDeployment: true,
      volumeConfigurations: [],
      propagateTags: "SERVICE",
    });
    expect(res.service.deployments.map((d: any) => d.status)).toEqual(["PRIMARY", "ACTIVE"]);
    expect(res.service.deployments[1].id).toBe(before);
    // Without changes and without force, no new deployment, even when every attribute is sent again
    // the way ecspresso sends its service definition.
    await advanceUntil(sim, async () => (await describe(sim, "web")).deployments.length === 1);
    const same = await ok(sim, "UpdateService", {
      cluster: "default",
      service: "web",
      taskDefinition: "web",
      desiredCount: 1,
      platformVersion: "LATEST",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"], securityGroups: [], assignPublicIp: "ENABLED" } },
      loadBalancers: [],
      serviceRegistries: [],
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    });
    expect(same.service.deployments).toHaveLength(1);
    expect(same.service.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ["subnet-12345678"], securityGroups: [], assignPublicIp: "ENABLED" },
    });
  });

  it("publishes service actions to the event stream", async () => {
    sim = await newSim();
    await register(sim, webDefinition("web"));
    await ok(sim, "CreateService", { ...SERVICE_BASE, serviceName: "web", taskDefinition: "web", desiredCount: 1 });
    await advanceUntil(sim, async () => (await describe(sim, "web")).events.some((e: any) => e.message.endsWith("steady state.")));
    const steady = sim.simulator.events.list().find((e) => (e.detail as any).eventName === "SERVICE_STEADY_STATE")!;
    expect(steady).toMatchObject({
      "detail-type": "ECS Service Action",
      source: "aws.ecs",
      resources: ["arn:aws:ecs:us-east-1:000000000000:service/default/web"],
      detail: { eventType: "INFO", eventName: "SERVICE_STEADY_STATE", clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/default" },
    });
  });
});
