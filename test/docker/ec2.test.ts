import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilServicesStable,
  type ContainerDefinition,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { createDockerClient, LABEL_CONTAINER_INSTANCE, LABEL_EC2_INSTANCE, LABEL_INSTANCE } from "../../src/runtime/docker/index.js";
import { AWSVPC, ecsClient } from "../helpers/sim.js";
import { detectDocker, ensureTestImage, requireDocker, TEST_IMAGE } from "./helpers.js";

/**
 * The EC2 launch type on the Docker runtime: two simulated instances share this one engine.
 * Containers carry their instance's labels; bridge and host-mode tasks report the host port
 * placement gave them on their instance (the same on both instances) and are reached on the real
 * port `GET /_sim/tasks/<id>/ports` names; the local load balancer forwards to real ports.
 */
const available = await detectDocker();

describe.runIf(!available && requireDocker)("Docker EC2 tasks (required)", () => {
  it("has a Docker engine", () => {
    expect.fail("ECS_SIM_REQUIRE_DOCKER=1 but no Docker engine answers; run `bash scripts/ensure-docker.sh`");
  });
});

interface PortView {
  containerPort: number;
  protocol: string;
  hostPort?: number;
  localAddress: string;
  localPort: number;
  url?: string;
}

const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/ec2-web/0123456789abcdef";

/** An HTTP server answering `body` on each given port (the last one in the foreground). */
function httpd(name: string, body: string, ports: number[], portMappings: ContainerDefinition["portMappings"]): ContainerDefinition {
  const servers = ports.map((p, i) => `httpd ${i === ports.length - 1 ? "-f " : ""}-p ${p} -h /www`).join(" && ");
  return {
    name,
    image: TEST_IMAGE,
    memory: 64,
    stopTimeout: 1,
    command: ["sh", "-c", `mkdir -p /www && echo ${body} > /www/index.html && ${servers}`],
    portMappings,
    // Readiness from the container's own check (the last server starts last), never by polling it.
    healthCheck: { command: ["CMD-SHELL", `wget -qO- http://127.0.0.1:${ports[ports.length - 1]}/ || exit 1`], interval: 5, timeout: 2, retries: 3 },
  };
}

describe.skipIf(!available)("EC2 tasks on the Docker runtime", () => {
  let sim: RunningSimulator;
  let ecs: ECSClient;
  let instances: { containerInstanceArn: string; ec2InstanceId: string }[];
  let families = 0;
  const docker = createDockerClient(process.env["DOCKER_HOST"]);

  /** Resolves when the task satisfies `predicate`: now, or on one of the simulator's own events (no polling). */
  function waitFor(arn: string, predicate: (t: Task) => boolean, timeoutMs = 60_000): Promise<Task> {
    return new Promise((resolve, reject) => {
      const done = (task: Task) => {
        clearTimeout(timer);
        off();
        resolve(task);
      };
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting on ${arn}`));
      }, timeoutMs);
      const off = sim.simulator.ctx.bus.subscribe("task.changed", (e) => {
        if (e.task.taskArn === arn && predicate(e.task)) done(e.task);
      });
      void ecs.send(new DescribeTasksCommand({ tasks: [arn] })).then((r) => {
        const now = r.tasks?.[0];
        if (now && predicate(now)) done(now);
      }, reject);
    });
  }
  const healthy = (arn: string) => waitFor(arn, (t) => t.lastStatus === "RUNNING" && t.healthStatus === "HEALTHY");

  /** One task on each instance (distinctInstance), both healthy. */
  async function runOnBoth(def: Record<string, unknown>): Promise<Task[]> {
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: `ec2-docker-${++families}`, ...def } as never));
    const res = await ecs.send(
      new RunTaskCommand({
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        launchType: "EC2",
        count: 2,
        placementConstraints: [{ type: "distinctInstance" }],
      }),
    );
    expect(res.failures).toEqual([]);
    const arns = res.tasks!.map((t) => t.taskArn!);
    await Promise.all(arns.map(healthy));
    return (await ecs.send(new DescribeTasksCommand({ tasks: arns }))).tasks!;
  }

  async function ports(task: Task): Promise<{ containerInstanceArn: string; containers: { name: string; ports: PortView[] }[] }> {
    const res = await sim.simulator.app.inject({ method: "GET", url: `/_sim/tasks/${task.taskArn!.split("/").pop()}/ports` });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  const get = async (url: string) => (await (await fetch(url)).text()).trim();

  beforeAll(async () => {
    await ensureTestImage(docker);
    sim = await startSimulator({
      runtime: "docker",
      clock: "real",
      timing: "fast",
      seed: 11,
      quotas: { profile: "unlimited" },
      services: { healthyAfterMs: 300 },
    });
    ecs = ecsClient(sim.endpoint);
    await ecs.send(new CreateClusterCommand({}));
    const res = await sim.simulator.app.inject({
      method: "POST",
      url: "/_sim/container-instances",
      payload: { cluster: "default", instanceType: "m5.large", count: 2 },
    });
    expect(res.statusCode).toBe(200);
    instances = res.json().containerInstances;
  }, 120_000);

  afterAll(async () => {
    ecs?.destroy();
    await sim?.close();
  }, 120_000);

  it("bridge: both instances report their own host ports (49153, and the fixed 8081), each task answers on its real port, and containers carry their instance", async () => {
    const tasks = await runOnBoth({
      networkMode: "bridge",
      containerDefinitions: [httpd("web", "bridge", [8080, 8081], [{ containerPort: 8080 }, { containerPort: 8081, hostPort: 8081 }])],
    });
    expect(new Set(tasks.map((t) => t.containerInstanceArn)).size).toBe(2);
    const seen = new Set<number>();
    for (const task of tasks) {
      // What ECS shows: the instance's first dynamic port and the fixed one, the same on both instances.
      expect(task.containers![0]!.networkBindings).toEqual([
        { bindIP: "0.0.0.0", containerPort: 8080, hostPort: 49153, protocol: "tcp" },
        { bindIP: "0.0.0.0", containerPort: 8081, hostPort: 8081, protocol: "tcp" },
      ]);
      const view = await ports(task);
      expect(view.containerInstanceArn).toBe(task.containerInstanceArn);
      const [dynamic, fixed] = view.containers[0]!.ports;
      expect(dynamic).toMatchObject({ containerPort: 8080, hostPort: 49153, localAddress: "127.0.0.1" });
      expect(fixed).toMatchObject({ containerPort: 8081, hostPort: 8081, localAddress: "127.0.0.1" });
      for (const p of [dynamic!, fixed!]) {
        seen.add(p.localPort);
        expect(await get(p.url!)).toBe("bridge");
      }

      const instance = instances.find((i) => i.containerInstanceArn === task.containerInstanceArn)!;
      const onInstance = await docker.listContainers({
        filters: JSON.stringify({ label: [`${LABEL_EC2_INSTANCE}=${instance.ec2InstanceId}`, `${LABEL_INSTANCE}`] }),
      });
      const mine = onInstance.filter((c) => c.Labels["com.amazonaws.ecs.task-arn"] === task.taskArn);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.Labels[LABEL_CONTAINER_INSTANCE]).toBe(instance.containerInstanceArn);
    }
    // Four real ports for four mappings: nothing was published twice on this machine.
    expect(seen.size).toBe(4);
  }, 90_000);

  it("host mode: two instances run a task on the same host port; each runs isolated and answers on its own real port", async () => {
    const tasks = await runOnBoth({
      networkMode: "host",
      containerDefinitions: [httpd("web", "host", [8080], [{ containerPort: 8080, hostPort: 8080 }])],
    });
    const real = new Set<number>();
    for (const task of tasks) {
      expect(task.containers![0]!.networkBindings).toEqual([{ bindIP: "0.0.0.0", containerPort: 8080, hostPort: 8080, protocol: "tcp" }]);
      const [p] = (await ports(task)).containers[0]!.ports;
      expect(p).toMatchObject({ containerPort: 8080, hostPort: 8080 });
      real.add(p!.localPort);
      expect(await get(p!.url!)).toBe("host");
    }
    expect(real.size).toBe(2);
  }, 90_000);

  it("awsvpc on EC2: a network holder per task, the instance's labels, AWS_ECS_EC2 inside", async () => {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `ec2-docker-${++families}`,
        networkMode: "awsvpc",
        containerDefinitions: [
          {
            name: "app",
            image: TEST_IMAGE,
            memory: 64,
            stopTimeout: 1,
            command: ["sleep", "300"],
            // Healthy only when it sees the EC2 environment and its metadata endpoint answers.
            healthCheck: {
              command: ["CMD-SHELL", 'test "$AWS_EXECUTION_ENV" = AWS_ECS_EC2 && wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task" >/dev/null'],
              interval: 5,
              timeout: 2,
              retries: 5,
            },
          },
        ],
      }),
    );
    const res = await ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn!, launchType: "EC2", networkConfiguration: AWSVPC as never }),
    );
    expect(res.failures).toEqual([]);
    const arn = res.tasks![0]!.taskArn!;
    const task = await healthy(arn);
    const instance = instances.find((i) => i.containerInstanceArn === task.containerInstanceArn)!;
    const found = await docker.listContainers({ filters: JSON.stringify({ label: [`ecs-sim.task-arn=${arn}`] }) });
    expect(found.map((c) => c.Labels["ecs-sim.role"]).sort()).toEqual(["container", "pause"]);
    for (const c of found) expect(c.Labels[LABEL_EC2_INSTANCE]).toBe(instance.ec2InstanceId);
    await ecs.send(new StopTaskCommand({ task: arn }));
    await waitFor(arn, (t) => t.lastStatus === "STOPPED");
  }, 90_000);

  it("a service with a load balancer in bridge mode answers through its front door, on the tasks' real ports", async () => {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `ec2-docker-${++families}`,
        networkMode: "bridge",
        containerDefinitions: [httpd("web", "through-the-door", [8080], [{ containerPort: 8080 }])],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        serviceName: "ec2-web",
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 2,
        launchType: "EC2",
        loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
      }),
    );
    const waiter = { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
    expect((await waitUntilServicesStable(waiter, { services: ["ec2-web"] })).state).toBe("SUCCESS");
    const serving = (await ecs.send(new ListTasksCommand({ serviceName: "ec2-web" }))).taskArns!;
    await Promise.all(serving.map(healthy));
    const doors = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/load-balancers" })).json();
    const door = doors.loadBalancers.find((d: { serviceName: string }) => d.serviceName === "ec2-web");
    expect(door.targets).toHaveLength(2);
    // The targets are the ports this machine really published, not the instances' host ports.
    for (const t of door.targets as { taskArn: string; port: number }[]) {
      const view = await ports({ taskArn: t.taskArn });
      expect(t.port).toBe(view.containers[0]!.ports[0]!.localPort);
    }
    expect([await get(door.url), await get(door.url)]).toEqual(["through-the-door", "through-the-door"]);
  }, 90_000);
});
