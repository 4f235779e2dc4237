import {
  DescribeTasksCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { AWSVPC, call, ecsClient, FARGATE_DEF, ok, virtualSim } from "../helpers/sim.js";

/**
 * Issue 4's acceptance run through the wire: the limits engine as clients meet it, with AWS's
 * exact errors, and every decision visible on GET /_sim/throttles.
 */
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function throttles(s: RunningSimulator): Promise<any[]> {
  const res = await s.simulator.app.inject({ method: "GET", url: "/_sim/throttles" });
  return res.json().decisions;
}

describe("API throttling through the wire", () => {
  it("DescribeTasks is throttled after its burst of 100 and refills at 20/s", async () => {
    sim = await virtualSim({ quotas: { profile: "aws-default" } });
    // DescribeTasks without a cluster reads `default`, which reads never create.
    await ok(sim, "CreateCluster", {});
    let accepted = 0;
    let first: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 110; i++) {
      const res = await call(sim, "DescribeTasks", { tasks: ["x"] });
      if (res.status === 200) accepted++;
      else first ??= res;
    }
    expect(accepted).toBe(100);
    expect(first!.status).toBe(400);
    expect(first!.body).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
    expect(first!.headers["x-amzn-errortype"]).toBe("ThrottlingException");
    await sim.advanceClock(1000);
    let refilled = 0;
    for (let i = 0; i < 25; i++) if ((await call(sim, "DescribeTasks", { tasks: ["x"] })).status === 200) refilled++;
    expect(refilled).toBe(20);
    // Other categories have their own buckets.
    expect((await call(sim, "ListClusters")).status).toBe(200);
    const refusals = (await throttles(sim)).filter((d) => d.operation === "DescribeTasks" && !d.allowed);
    expect(refusals).toHaveLength(15);
    expect(refusals[0]).toMatchObject({ kind: "throttle", account: "000000000000", region: "us-east-1" });
    expect(refusals[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("an SDK client with default retries absorbs a short overload without surfacing an error", async () => {
    // On the virtual clock the overload does not depend on the machine's speed: with time standing
    // still, the 11th call of the burst is refused for certain. Each refusal then lets a second of
    // simulated time pass (a refill) while the SDK backs off, as a real short overload would.
    sim = await startSimulator({
      runtime: "simulated",
      clock: "virtual",
      quotas: { profile: "aws-default", overrides: { buckets: { "cluster-resource-read": { burst: 10, sustained: 20 } } } },
    });
    await ok(sim, "CreateCluster", {});
    let refusals = 0;
    const off = sim.simulator.ctx.bus.subscribe("limit.decision", (d) => {
      if (d.operation === "DescribeTasks" && !d.allowed) {
        refusals++;
        void sim!.advanceClock(1_000);
      }
    });
    const ecs = ecsClient(sim.endpoint);
    await ok(sim, "CreateCluster", {});
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => ecs.send(new DescribeTasksCommand({ tasks: ["0123456789abcdef0123456789abcdef"] }))),
      );
      expect(results).toHaveLength(20);
      for (const r of results) expect(r.failures?.[0]?.reason).toBe("MISSING");
      expect(refusals).toBeGreaterThan(0);
      expect(results.filter((r) => (r.$metadata.attempts ?? 1) > 1).length).toBeGreaterThan(0);
      expect((await throttles(sim)).filter((d) => d.operation === "DescribeTasks" && !d.allowed)).toHaveLength(refusals);
    } finally {
      off();
      ecs.destroy();
    }
  });
});

describe("changing limits at run time", () => {
  it("PUT /_sim/quotas resizes a bucket at once", async () => {
    sim = await virtualSim({ quotas: { profile: "aws-default" } });
    // DescribeTasks without a cluster reads `default`, which reads never create.
    await ok(sim, "CreateCluster", {});
    const put = await sim.simulator.app.inject({
      method: "PUT",
      url: "/_sim/quotas",
      payload: { buckets: { "cluster-resource-read": { burst: 10, sustained: 2 } } },
    });
    expect(put.statusCode).toBe(200);
    let accepted = 0;
    for (let i = 0; i < 15; i++) if ((await call(sim, "DescribeTasks", { tasks: ["x"] })).status === 200) accepted++;
    expect(accepted).toBe(10);
    await sim.advanceClock(1000);
    expect((await call(sim, "DescribeTasks", { tasks: ["x"] })).status).toBe(200);
    expect((await call(sim, "DescribeTasks", { tasks: ["x"] })).status).toBe(200);
    expect((await call(sim, "DescribeTasks", { tasks: ["x"] })).status).toBe(400);
  });
});

describe("chaos knobs through the wire", () => {
  it("inject ThrottlingException (400) and ServerException (500) per operation, seeded", async () => {
    sim = await virtualSim({
      quotas: {
        profile: "unlimited",
        chaos: { DescribeTasks: { throttleProbability: 1 }, ListTasks: { serverErrorProbability: 1 }, ListClusters: { throttleProbability: 0.5 } },
      },
    });
    await ok(sim, "CreateCluster", {});
    const throttled = await call(sim, "DescribeTasks", { tasks: ["x"] });
    expect([throttled.status, throttled.body]).toEqual([400, { __type: "ThrottlingException", message: "Rate exceeded" }]);
    const failed = await call(sim, "ListTasks", {});
    expect([failed.status, failed.body]).toEqual([500, { __type: "ServerException", message: "Service Unavailable. Please try again later." }]);
    await ok(sim, "CreateCluster", {});
    expect((await call(sim, "ListServices", {})).status).toBe(200);
    const pattern = async (seed: number) => {
      const s = await virtualSim({ seed, quotas: { profile: "unlimited", chaos: { ListClusters: { throttleProbability: 0.5 } } } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await call(s, "ListClusters")).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await pattern(5);
    expect(await pattern(5)).toEqual(a);
    expect(a).toContain(400);
    expect(a).toContain(200);
  });
});

describe("per-family registration contention through the wire", () => {
  it("concurrent registrations of one family get the exact ClientException; another family is free; revisions stay contiguous", async () => {
    // A roomier account-wide bucket (AWS: 20 burst) keeps ThrottlingException out of this picture.
    // On the virtual clock with a long window, the winners stay in flight until the test moves time,
    // however slowly this machine serves the 21 calls.
    sim = await startSimulator({
      runtime: "simulated",
      clock: "virtual",
      quotas: {
        profile: "aws-default",
        registrationWindowMs: 60_000,
        overrides: { buckets: { "task-definition-modify": { burst: 100, sustained: 1 } } },
      },
    });
    const s = sim;
    const ecs = ecsClient(sim.endpoint);
    try {
      let decided = 0;
      const allDecided = new Promise<void>((resolve) =>
        s.simulator.ctx.bus.subscribe("limit.decision", (d) => {
          if (d.operation === "RegisterTaskDefinition" && ++decided === 19) resolve();
        }),
      );
      const register = (family: string) =>
        ecs.send(new RegisterTaskDefinitionCommand({ ...(FARGATE_DEF as Record<string, unknown>), family } as never)).then(
          (r) => ({ ok: true as const, revision: r.taskDefinition!.revision! }),
          (e: ECSServiceException) => ({ ok: false as const, name: e.name, message: e.message }),
        );
      const calls = [...Array.from({ length: 20 }, () => register("prefect_pool_dep")), register("other_family")];
      await allDecided;
      await s.advanceClock(60_000);
      const results = await Promise.all(calls);
      const hot = results.slice(0, 20);
      const refused = hot.filter((r) => !r.ok);
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(r).toEqual({
          ok: false,
          name: "ClientException",
          message: "Too many concurrent attempts to create a new revision of the specified family.",
        });
      }
      const revisions = hot.filter((r) => r.ok).map((r) => (r as { revision: number }).revision).sort((a, b) => a - b);
      expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
      expect(results[20]).toEqual({ ok: true, revision: 1 });
      const contention = (await throttles(sim)).filter((d) => d.kind === "contention");
      expect(contention).toHaveLength(refused.length);
    } finally {
      ecs.destroy();
    }
  });
});

describe("Fargate vCPU quotas through the wire", () => {
  it("the fifth 1-vCPU spot task over a quota of 4 gets the exact failure; raising the quota lets the same call succeed", async () => {
    sim = await virtualSim({ quotas: { profile: "aws-default", overrides: { vcpu: { spot: 4 } } } });
    await ok(sim, "CreateCluster", { clusterName: "c", capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: "1024", memory: "2048" });
    const spotRun = {
      cluster: "c",
      taskDefinition: "web",
      networkConfiguration: AWSVPC,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    };
    const four = await ok(sim, "RunTask", { ...spotRun, count: 4 });
    expect(four.tasks).toHaveLength(4);
    const fifth = await call(sim, "RunTask", spotRun);
    expect(fifth.status).toBe(200);
    expect(fifth.body).toEqual({
      tasks: [],
      failures: [{ reason: "You\u2019ve reached the limit on the number of vCPUs you can run concurrently" }],
    });
    // On-demand has its own quota.
    expect((await ok(sim, "RunTask", { ...spotRun, capacityProviderStrategy: undefined, launchType: "FARGATE" })).tasks).toHaveLength(1);
    const put = await sim.simulator.app.inject({ method: "PUT", url: "/_sim/quotas", payload: { vcpu: { spot: 5 } } });
    expect(put.statusCode).toBe(200);
    const again = await ok(sim, "RunTask", spotRun);
    expect(again.tasks).toHaveLength(1);
    expect(again.failures).toEqual([]);
    const decisions = await throttles(sim);
    expect(decisions.some((d) => d.kind === "vcpu-quota" && !d.allowed && d.operation === "RunTask")).toBe(true);
  });

  it("a stopped task returns its vCPU", async () => {
    sim = await virtualSim({ quotas: { profile: "aws-default" } });
    await ok(sim, "CreateCluster", {});
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: "2048", memory: "4096" });
    const run = { taskDefinition: "web", networkConfiguration: AWSVPC };
    const three = await ok(sim, "RunTask", { ...run, count: 3 });
    expect(three.tasks).toHaveLength(3);
    expect((await ok(sim, "RunTask", run)).failures).toHaveLength(1);
    await ok(sim, "StopTask", { task: three.tasks[0].taskArn });
    await sim.advanceClock(1000);
    expect((await ok(sim, "RunTask", run)).tasks).toHaveLength(1);
  });

  it("a task larger than the whole quota gets 'The requested CPU configuration is above your limit'", async () => {
    sim = await virtualSim({ quotas: { profile: "aws-default" } });
    await ok(sim, "CreateCluster", {});
    await ok(sim, "RegisterTaskDefinition", { ...FARGATE_DEF, cpu: "8192", memory: "16384" });
    const res = await ok(sim, "RunTask", { taskDefinition: "web", networkConfiguration: AWSVPC });
    expect(res.failures).toEqual([{ reason: "The requested CPU configuration is above your limit" }]);
  });
});
