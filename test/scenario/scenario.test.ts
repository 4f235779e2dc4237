import { afterEach, describe, expect, it } from "vitest";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator, parseScenario, ScenarioError, type RunningSimulator } from "../../src/index.js";
import { durationMs } from "../../src/core/duration.js";
import { admin, AWSVPC, call, FARGATE_DEF, ok } from "../helpers/sim.js";

const BASE = {
  name: "spot-wall",
  config: { runtime: "simulated", clock: "virtual", seed: 11, quotas: { profile: "established" } },
  world: {
    clusters: [
      {
        clusterName: "prod",
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      },
    ],
    taskDefinitions: [FARGATE_DEF],
    tasks: [{ cluster: "prod", taskDefinition: "web", count: 4, networkConfiguration: AWSVPC }],
  },
};

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function runningSpotTasks(s: RunningSimulator): Promise<number> {
  const list = await ok(s, "ListTasks", { cluster: "prod", desiredStatus: "RUNNING" });
  if (list.taskArns.length === 0) return 0;
  const described = await ok(s, "DescribeTasks", { cluster: "prod", tasks: list.taskArns });
  return described.tasks.filter((t: any) => t.lastStatus === "RUNNING" && t.capacityProviderName === "FARGATE_SPOT").length;
}

describe("scenario files", () => {
  it("builds the world before startSimulator resolves and takes its settings", async () => {
    sim = await startSimulator({ scenario: BASE });
    const health = await admin(sim, "GET", "/_sim/health");
    expect(health.body).toMatchObject({ clock: "virtual", seed: 11 });
    const clusters = await ok(sim, "DescribeClusters", { clusters: ["prod"] });
    expect(clusters.clusters[0].status).toBe("ACTIVE");
    await sim.advanceClock(1000);
    expect(await runningSpotTasks(sim)).toBe(4);
    const view = await admin(sim, "GET", "/_sim/scenario");
    expect(view.body.world.created).toEqual({ clusters: 1, taskDefinitions: 1, tasks: 1 });
  });

  it("lets the caller's own settings override the scenario's", async () => {
    sim = await startSimulator({ scenario: BASE, seed: 12 });
    expect((await admin(sim, "GET", "/_sim/health")).body).toMatchObject({ clock: "virtual", seed: 12 });
    expect((await admin(sim, "GET", "/_sim/scenario")).body.world.created.clusters).toBe(1);
  });

  it("interrupts a fraction of spot tasks at the step's time, not before", async () => {
    sim = await startSimulator({ scenario: { ...BASE, timeline: [{ at: "30s", interruptSpot: { cluster: "prod", fraction: "50%" } }] } });
    await sim.advanceClock(29_000);
    expect(await runningSpotTasks(sim)).toBe(4);
    expect((await admin(sim, "GET", "/_sim/scenario")).body.steps[0]).toMatchObject({ status: "scheduled", name: "interrupt 50% of FARGATE_SPOT tasks in cluster prod" });
    await sim.advanceClock(1_000);
    const step = (await admin(sim, "GET", "/_sim/scenario")).body.steps[0];
    expect(step.status).toBe("fired");
    expect(step.result.interrupted).toHaveLength(2);
    await sim.advanceClock(180_000);
    expect(await runningSpotTasks(sim)).toBe(2);
  });

  it("throttles an operation with a probability for a while, then puts the rule back", async () => {
    sim = await startSimulator({ scenario: { ...BASE, timeline: [{ at: "1m", for: "2m", throttle: { operation: "ListClusters", probability: 1 } }] } });
    await sim.advanceClock(60_000);
    expect((await call(sim, "ListClusters")).body.__type).toBe("ThrottlingException");
    expect((await admin(sim, "GET", "/_sim/scenario")).body.steps[0].status).toBe("active");
    await sim.advanceClock(120_000);
    expect((await call(sim, "ListClusters")).status).toBe(200);
    expect((await admin(sim, "GET", "/_sim/scenario")).body.steps[0].status).toBe("ended");
  });

  it("a spot capacity shortage for a while refuses spot launches, then ends", async () => {
    sim = await startSimulator({
      scenario: { ...BASE, world: { ...BASE.world, tasks: [] }, timeline: [{ at: "10s", for: "5m", capacityShortage: { provider: "FARGATE_SPOT" } }] },
    });
    await sim.advanceClock(10_000);
    const refused = await ok(sim, "RunTask", { cluster: "prod", taskDefinition: "web", networkConfiguration: AWSVPC });
    expect(refused.failures[0].reason).toMatch(/^Capacity is unavailable at this time/);
    await sim.advanceClock(300_000);
    const placed = await ok(sim, "RunTask", { cluster: "prod", taskDefinition: "web", networkConfiguration: AWSVPC });
    expect(placed.tasks).toHaveLength(1);
  });

  it("raises a quota in the region the step names only", async () => {
    sim = await startSimulator({
      scenario: { ...BASE, config: { ...BASE.config, quotas: { profile: "aws-default" } }, timeline: [{ at: "2m", quotas: { region: "us-west-2", vcpu: { spot: 40 } } }] },
    });
    await sim.advanceClock(120_000);
    const west = await admin(sim, "GET", "/_sim/quotas?region=us-west-2");
    const east = await admin(sim, "GET", "/_sim/quotas?region=us-east-1");
    expect(west.body.effective.vcpu.spot).toBe(40);
    expect(east.body.effective.vcpu.spot).toBe(6);
  });

  it("makes an image unpullable: new tasks stop with the agent's pull error, running ones are untouched", async () => {
    sim = await startSimulator({ scenario: { ...BASE, timeline: [{ at: "3m", unpullableImage: { image: "busybox:latest" } }] } });
    await sim.advanceClock(180_000);
    const run = await ok(sim, "RunTask", { cluster: "prod", taskDefinition: "web", networkConfiguration: AWSVPC });
    await sim.advanceClock(1_000);
    const [task] = (await ok(sim, "DescribeTasks", { cluster: "prod", tasks: [run.tasks[0].taskArn] })).tasks;
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "TaskFailedToStart" });
    expect(task.stoppedReason).toBe(
      "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/busybox:latest: not found",
    );
    expect(await runningSpotTasks(sim)).toBe(4);
  });

  it("calls any ECS operation on the timeline and records a refusal without stopping the rest", async () => {
    sim = await startSimulator({
      scenario: {
        ...BASE,
        timeline: [
          { at: "5s", call: { operation: "DeleteCluster", input: { cluster: "missing" } } },
          { at: "6s", call: { operation: "CreateCluster", input: { clusterName: "later" } } },
        ],
      },
    });
    await sim.advanceClock(6_000);
    const steps = (await admin(sim, "GET", "/_sim/scenario")).body.steps;
    expect(steps[0]).toMatchObject({ status: "failed", error: "ClusterNotFoundException: Cluster not found." });
    expect(steps[1].status).toBe("fired");
    expect((await ok(sim, "DescribeClusters", { clusters: ["later"] })).clusters).toHaveLength(1);
  });

  it("sets a metric series, calls the scaling APIs and passes an earlier answer on with ${id.Field}", async () => {
    sim = await startSimulator({
      scenario: {
        ...BASE,
        world: {
          ...BASE.world,
          calls: [
            { service: "cloudwatch", operation: "PutMetricAlarm", id: "alarm", input: { AlarmName: "deep", Namespace: "App", MetricName: "Depth", Statistic: "Maximum", Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: "GreaterThanThreshold" } },
          ],
        },
        timeline: [
          { at: "0s", metric: { namespace: "App", name: "Depth", series: [{ at: 0, value: 1 }, { at: "2m", value: 9 }] } },
          { at: "1s", call: { service: "cloudwatch", operation: "DescribeAlarms", id: "described", input: { AlarmNames: ["deep"] } } },
          { at: "2s", call: { operation: "CreateCluster", input: { clusterName: "${described.MetricAlarms.0.AlarmName}-cluster" } } },
          { at: "3s", call: { operation: "CreateCluster", input: { clusterName: "${nobody.Name}" } } },
        ],
      },
    });
    const s = sim;
    await s.advanceClock(3_000);
    const steps = (await admin(s, "GET", "/_sim/scenario")).body.steps;
    expect(steps.map((x: any) => x.status)).toEqual(["fired", "fired", "fired", "failed"]);
    expect(steps[0].name).toBe("metric App/Depth series of 2");
    expect(steps[3].error).toBe('${nobody.Name}: no earlier call has id "nobody"');
    expect((await ok(s, "DescribeClusters", { clusters: ["deep-cluster"] })).clusters).toHaveLength(1);
    const alarmState = async () => (await admin(s, "GET", "/_sim/autoscaling")).body.regions[0].alarms[0].StateValue;
    await s.advanceClock(60_000);
    expect(await alarmState()).toBe("OK");
    await s.advanceClock(2 * 60_000);
    expect(await alarmState()).toBe("ALARM");
  });

  it("the same seed and the same advances give the same run", async () => {
    const scenario = { ...BASE, timeline: [{ at: "30s", interruptSpot: { cluster: "prod", count: 1 } }] };
    const runOnce = async () => {
      const s = await startSimulator({ scenario });
      await s.advanceClock(60_000);
      const view = (await admin(s, "GET", "/_sim/scenario")).body;
      const state = (await admin(s, "GET", "/_sim/state")).body;
      await s.close();
      return { interrupted: view.steps[0].result.interrupted, tasks: state.regions[0].tasks.map((t: any) => [t.taskArn, t.lastStatus]) };
    };
    expect(await runOnce()).toEqual(await runOnce());
  });
});

describe("loading at run time (POST /_sim/scenario)", () => {
  it("loads YAML, replaces the previous scenario and shows what is scheduled", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 3 });
    const yaml = `name: late-quota\ntimeline:\n  - at: 2m\n    name: the increase lands\n    call: { operation: CreateCluster, input: { clusterName: c2 } }\n`;
    const res = await sim.simulator.app.inject({ method: "POST", url: "/_sim/scenario", headers: { "content-type": "application/yaml" }, payload: yaml });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).steps[0]).toMatchObject({ name: "the increase lands", status: "scheduled", atMs: 120_000 });
    const deleted = await admin(sim, "DELETE", "/_sim/scenario");
    expect(deleted.status).toBe(200);
    await sim.advanceClock(120_000);
    expect((await ok(sim, "ListClusters")).clusterArns).toEqual([]);
  });

  it("refuses settings that only apply at start, and a world call the API refuses, with 400", async () => {
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 3 });
    const seed = await admin(sim, "POST", "/_sim/scenario", { name: "x", config: { seed: 4 } });
    expect(seed.status).toBe(400);
    expect(seed.body.message).toMatch(/sets seed, which only apply at start/);
    const same = await admin(sim, "POST", "/_sim/scenario", { name: "x", config: { seed: 3 } });
    expect(same.status).toBe(200);
    const bad = await admin(sim, "POST", "/_sim/scenario", { name: "x", world: { taskDefinitions: [{ family: "f", containerDefinitions: [] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^world\.taskDefinitions\[0\] \(RegisterTaskDefinition\): /);
  });

  it("reset cancels the scenario and lifts its faults", async () => {
    sim = await startSimulator({ scenario: { ...BASE, timeline: [{ at: "1s", for: "1h", unpullableImage: { image: "busybox*" } }] } });
    await sim.advanceClock(1_000);
    await sim.reset();
    expect((await admin(sim, "GET", "/_sim/scenario")).status).toBe(404);
    await ok(sim, "CreateCluster", { clusterName: "prod" });
    await ok(sim, "RegisterTaskDefinition", FARGATE_DEF);
    const run = await ok(sim, "RunTask", { cluster: "prod", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: AWSVPC });
    await sim.advanceClock(1_000);
    expect((await ok(sim, "DescribeTasks", { cluster: "prod", tasks: [run.tasks[0].taskArn] })).tasks[0].lastStatus).toBe("RUNNING");
  });
});

describe("scenario validation", () => {
  it("names the line, column and field of a mistake", () => {
    const text = "name: bad\ntimeline:\n  - at: 30s\n    interruptSpot: { cluster: prod, fraction: 2 }\n";
    expect(() => parseScenario(text, "incident.yaml")).toThrow(ScenarioError);
    expect(() => parseScenario(text, "incident.yaml")).toThrow(/^incident\.yaml:4:\d+: timeline\[0\]\.interruptSpot\.fraction: /);
  });

  it("refuses a step with two actions, an unknown key, a bad duration and `for` on a one-shot action", () => {
    const msg = (doc: string) => {
      try {
        parseScenario(doc);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(msg("name: x\ntimeline:\n  - at: 1s\n    throttle: { operation: RunTask, probability: 1 }\n    quotas: {}\n")).toMatch(/exactly one of/);
    expect(msg("name: x\nwolrd: {}\n")).toMatch(/Unrecognized key\(s\) in object: 'wolrd'/);
    expect(msg("name: x\ntimeline:\n  - at: soon\n    quotas: {}\n")).toMatch(/timeline\[0\]\.at: not a duration: "soon"/);
    expect(msg("name: x\ntimeline:\n  - at: 1s\n    for: 1m\n    quotas: {}\n")).toMatch(/timeline\[0\]\.for: `for` applies to/);
    expect(msg("name: x\ntimeline: [\n")).toMatch(/^scenario:\d+:\d+: /);
    expect(msg("name: x\ntimeline:\n  - at: 1s\n    for: 1m\n    metric: { namespace: A, name: B, value: 1 }\n")).toMatch(/timeline\[0\]\.for: `for` applies to/);
    expect(msg("name: x\ntimeline:\n  - at: 1s\n    metric: { namespace: A, name: B }\n")).toMatch(/give either value or series/);
    expect(msg("name: x\ntimeline:\n  - at: 1s\n    call: { service: sqs, operation: SendMessage }\n")).toMatch(/timeline\[0\]\.call\.service/);
  });

  it("reads durations as people write them", () => {
    expect([durationMs("1500"), durationMs("1.5s"), durationMs("2m"), durationMs("1m30s"), durationMs("1h"), durationMs(250)]).toEqual([
      1500, 1500, 120_000, 90_000, 3_600_000, 250,
    ]);
    expect([durationMs("1m30"), durationMs("x"), durationMs(""), durationMs(-1)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("the CLI loads --scenario: settings from the file, flags above them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecs-sim-scenario-"));
    const path = join(dir, "s.yaml");
    writeFileSync(path, "name: cli\nconfig: { seed: 99, clock: virtual }\n");
    const { parseCli } = await import("../../src/cli-args.js");
    const parsed = parseCli(["--scenario", path, "--clock", "real"], {});
    expect(parsed.config).toMatchObject({ seed: 99, clock: "real" });
    expect(parsed.scenario?.name).toBe("cli");
  });
});

describe("the README's scenario example", () => {
  it("is a valid scenario with the steps the table describes", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const block = /### Scenario files[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const parsed = parseScenario(block!, "README");
    expect(parsed.timeline.map((s) => Object.keys(s).find((k) => !["at", "for", "name"].includes(k)))).toEqual([
      "interruptSpot",
      "capacityShortage",
      "throttle",
      "quotas",
      "unpullableImage",
      "call",
    ]);
    expect(parsed.timeline[1]).toMatchObject({ at: 60_000, for: 300_000 });
  });
});
