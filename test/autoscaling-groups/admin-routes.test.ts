import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { registerAutoScalingGroupRoutes } from "../../src/api/admin/autoscaling-groups.js";
import { createEc2AutoScaling, type Ec2AutoScaling } from "../../src/autoscaling-groups/index.js";
import { parseConfig } from "../../src/config.js";
import { VirtualClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/events.js";
import { createLogger } from "../../src/core/logger.js";
import { SeededRandom } from "../../src/core/random.js";
import type { SimContext } from "../../src/context.js";
import { ScenarioRun, type ScenarioHost } from "../../src/scenario/runner.js";
import { ScenarioSchema } from "../../src/scenario/schema.js";
import { Store } from "../../src/state/store.js";
import { FakeLauncher } from "../helpers/fake-launcher.js";

const ASG_ARN = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0b4c8f2e-1111-2222-3333-444455556666:autoScalingGroupName/web-asg";
let built: Ec2AutoScaling | undefined;

function build() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const logger = createLogger({ level: "silent", format: "text", now: () => clock.now() });
  const config = parseConfig({ autoScalingGroups: [{ name: "from-config", minSize: 1, maxSize: 2, instanceType: "t3.large", bootDelayMs: 0 }] });
  const ctx = { config, clock, random: new SeededRandom(3), store: new Store(), bus: new EventBus(), logger, quotas: undefined } as unknown as SimContext;
  const launcher = new FakeLauncher(clock);
  const ec2 = createEc2AutoScaling({ ctx, launcher, inputs: launcher, settings: { defaultBootDelayMs: { min: 1000, max: 1000 } } });
  built = ec2;
  const app = Fastify();
  registerAutoScalingGroupRoutes(app, { groups: ec2.groups, scaling: ec2.scaling, store: ctx.store, defaults: { account: "000000000000", region: "us-east-1" } });
  return { app, ec2, ctx, clock, launcher, config };
}

afterEach(() => built?.close());

async function req(app: ReturnType<typeof Fastify>, method: "GET" | "POST" | "PUT", url: string, body?: unknown) {
  const res = await app.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}) });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe("admin API for simulated Auto Scaling groups", () => {
  it("defines a group with the user's ARN, sets its desired capacity and shows it", async () => {
    const { app, clock } = build();
    const created = await req(app, "POST", "/_sim/autoscaling-groups", { name: "web-asg", arn: ASG_ARN, minSize: 0, maxSize: 3, instanceType: "m5.large" });
    expect(created.status).toBe(200);
    expect(created.body.group).toMatchObject({ name: "web-asg", arn: ASG_ARN, desiredCapacity: 0, cluster: null, instances: [] });
    const set = await req(app, "PUT", "/_sim/autoscaling-groups/web-asg/desired-capacity", { desiredCapacity: 2 });
    expect(set.body.group.instances.map((i: { lifecycleState: string }) => i.lifecycleState)).toEqual(["Pending", "Pending"]);
    await clock.advance(1000);
    const listed = await req(app, "GET", "/_sim/autoscaling-groups");
    expect(listed.body.groups[0].instances.map((i: { lifecycleState: string }) => i.lifecycleState)).toEqual(["InService", "InService"]);
    expect(listed.body.armed).toBe(false);
  });

  it("answers 400 with the reason for bad input and 404 for an unknown group", async () => {
    const { app } = build();
    expect((await req(app, "POST", "/_sim/autoscaling-groups", { name: "x", minSize: 2, maxSize: 1, instanceType: "m5.large" })).status).toBe(400);
    expect((await req(app, "POST", "/_sim/autoscaling-groups", { name: "x", minSize: 0, maxSize: 1, instanceType: "m5.large", extra: 1 })).status).toBe(400);
    await req(app, "POST", "/_sim/autoscaling-groups", { name: "x", minSize: 0, maxSize: 1, instanceType: "m5.large" });
    const above = await req(app, "PUT", "/_sim/autoscaling-groups/x/desired-capacity", { desiredCapacity: 4 });
    expect(above).toEqual({ status: 400, body: { error: "BadRequest", message: "New SetDesiredCapacity value 4 is above max value 1 for the AutoScalingGroup." } });
    const missing = await req(app, "PUT", "/_sim/autoscaling-groups/ghost/desired-capacity", { desiredCapacity: 0 });
    expect(missing.status).toBe(404);
  });

  it("completes lifecycle actions and sets instance protection", async () => {
    const { app } = build();
    await req(app, "POST", "/_sim/autoscaling-groups", {
      name: "h",
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 2,
      instanceType: "m5.large",
      bootDelayMs: 0,
      lifecycleHooks: [{ name: "hook" }],
    });
    const group = (await req(app, "GET", "/_sim/autoscaling-groups")).body.groups[0];
    const [first, second] = group.instances.map((i: { instanceId: string }) => i.instanceId);
    await req(app, "PUT", "/_sim/autoscaling-groups/h/instance-protection", { instanceIds: [first], protectedFromScaleIn: true });
    const shrunk = await req(app, "PUT", "/_sim/autoscaling-groups/h", { desiredCapacity: 1 });
    expect(shrunk.body.group.instances.find((i: { instanceId: string }) => i.instanceId === second).lifecycleState).toBe("Terminating:Wait");
    const done = await req(app, "POST", "/_sim/autoscaling-groups/h/lifecycle-actions", { lifecycleHookName: "hook", instanceId: second, lifecycleActionResult: "CONTINUE" });
    expect(done.body.group.instances.map((i: { instanceId: string }) => i.instanceId)).toEqual([first]);
  });

  it("creates the config file's groups and a scenario's world groups", async () => {
    const { ec2, config, clock, ctx } = build();
    ec2.createConfiguredGroups(config.autoScalingGroups);
    expect(ec2.groups.list({ account: "000000000000", region: "us-east-1" }).map((g) => [g.name, g.instances.length])).toEqual([["from-config", 1]]);
    const host = {
      clock,
      logger: ctx.logger,
      defaults: { account: "000000000000", region: "us-east-1" },
      invoke: async () => ({}),
      createAutoScalingGroup: (spec: Record<string, unknown>, scope: { account: string; region: string }) => ec2.groups.create(scope, spec as never),
    } as unknown as ScenarioHost;
    const scenario = ScenarioSchema.parse({ name: "s", world: { autoScalingGroups: [{ name: "from-scenario", minSize: 0, maxSize: 3, desiredCapacity: 3, instanceType: "c5.xlarge" }] } });
    const run = await ScenarioRun.start(host, scenario);
    expect(run.view().world.created).toEqual({ autoScalingGroups: 1 });
    const g = ec2.groups.get({ account: "000000000000", region: "us-east-1" }, "from-scenario");
    expect(g.instances.map((i) => i.availabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
  });
});
