import { DescribeTasksCommand, ECSClient, RunTaskCommand, waitUntilTasksStopped } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { Messages } from "../../src/errors/messages.js";
import { admin, AWSVPC, describe1, ok, runSpot, setup, spotSim, vcpuInUse } from "./helpers.js";

const START = Date.UTC(2026, 0, 1);

describe("on-demand spot interruptions (reference §7.1, scenario S4)", () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it("ends the task with SpotInterruption and the exact reason, exit 143, frees its vCPU, and warns on the event log at once", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const { tasks } = await runSpot(sim, cluster, family);
    const arn: string = tasks[0].taskArn;
    await sim.advanceClock(1000);
    expect((await describe1(sim, cluster, arn)).lastStatus).toBe("RUNNING");
    expect(await vcpuInUse(sim, "spot")).toBe(1);

    const warningAt = sim.simulator.ctx.clock.now();
    const res = await admin(sim, "POST", "/_sim/spot/interruptions", { taskArns: [arn] });
    expect(res.status).toBe(200);
    expect(res.body.matched).toBe(1);
    expect(res.body.skipped).toEqual([]);
    expect(res.body.interrupted).toEqual([
      expect.objectContaining({ taskArn: arn, cluster, cause: "on-demand", warningAtMs: warningAt, warningAt: new Date(warningAt).toISOString() }),
    ]);

    // At warning time: desiredStatus STOPPED with the stop code and reason, and SIGTERM already
    // sent (STOPPING) without waiting for the clock: Fargate signals with the warning.
    const warned = await describe1(sim, cluster, arn);
    expect(warned.lastStatus).toBe("STOPPING");
    expect(warned).toMatchObject({
      desiredStatus: "STOPPED",
      stopCode: "SpotInterruption",
      stoppedReason: "Your Spot Task was interrupted.",
    });
    expect(Messages.spotInterrupted).toBe("Your Spot Task was interrupted.");
    const events = (await admin(sim, "GET", `/_sim/events?detailType=${encodeURIComponent("ECS Task State Change")}`)).body.events;
    const warning = events.find((e: any) => e.resources[0] === arn && e.detail.desiredStatus === "STOPPED");
    expect(warning).toMatchObject({
      "detail-type": "ECS Task State Change",
      source: "aws.ecs",
      time: new Date(warningAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      detail: {
        lastStatus: "RUNNING",
        desiredStatus: "STOPPED",
        stopCode: "SpotInterruption",
        stoppedReason: "Your Spot Task was interrupted.",
        capacityProviderName: "FARGATE_SPOT",
        updatedAt: new Date(warningAt).toISOString(),
      },
    });

    await sim.advanceClock(1000);
    const stopped = await describe1(sim, cluster, arn);
    expect(stopped).toMatchObject({
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "SpotInterruption",
      stoppedReason: "Your Spot Task was interrupted.",
    });
    expect(stopped.containers[0].exitCode).toBe(143);
    expect(await vcpuInUse(sim, "spot")).toBe(0);
    const last = (await admin(sim, "GET", "/_sim/events")).body.events.filter((e: any) => e.resources[0] === arn).at(-1);
    expect(last.detail).toMatchObject({ lastStatus: "STOPPED", stopCode: "SpotInterruption", stoppedReason: Messages.spotInterrupted });
  });

  it("a container that ignores SIGTERM exits 137 at its stopTimeout", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim, { env: { ECS_SIM_ON_SIGTERM: "ignore" }, stopTimeout: 20 });
    const arn: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    await sim.advanceClock(1000);
    const warningAt = sim.simulator.ctx.clock.now();
    sim.simulator.spot.interrupt({ taskArns: [arn] });
    await sim.advanceClock(19_000);
    expect((await describe1(sim, cluster, arn)).lastStatus).toBe("STOPPING");
    await sim.advanceClock(2_000);
    const stopped = await describe1(sim, cluster, arn);
    expect(stopped).toMatchObject({ lastStatus: "STOPPED", stopCode: "SpotInterruption", stoppedReason: Messages.spotInterrupted });
    expect(stopped.containers[0].exitCode).toBe(137);
    const executionStoppedAt = new Date(stopped.executionStoppedAt * 1000).getTime();
    // SIGTERM with the warning, SIGKILL stopTimeout (20 s) later.
    expect(executionStoppedAt - warningAt).toBeGreaterThanOrEqual(20_000);
    expect(executionStoppedAt - warningAt).toBeLessThan(20_100);
  });

  it("spot.warningMs shorter than stopTimeout brings the SIGKILL forward to the end of the warning", async () => {
    sim = await spotSim({ spot: { warningMs: 3_000 } });
    const { cluster, family } = await setup(sim, { env: { ECS_SIM_ON_SIGTERM: "ignore" }, stopTimeout: 120 });
    const arn: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    await sim.advanceClock(1000);
    const warningAt = sim.simulator.ctx.clock.now();
    const [record] = sim.simulator.spot.interrupt({ taskArns: [arn] }).interrupted;
    expect(record!.deadlineMs).toBe(warningAt + 3_000);
    await sim.advanceClock(3_100);
    const stopped = await describe1(sim, cluster, arn);
    expect(stopped.lastStatus).toBe("STOPPED");
    expect(stopped.containers[0].exitCode).toBe(137);
    expect(new Date(stopped.executionStoppedAt * 1000).getTime()).toBe(warningAt + 3_000);

    // A user stop of another task keeps the full stopTimeout: the cap is for interruptions only.
    const other: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    await sim.advanceClock(1000);
    await ok(sim, "StopTask", { cluster, task: other });
    await sim.advanceClock(60_000);
    expect((await describe1(sim, cluster, other)).lastStatus).toBe("STOPPING");
    await sim.advanceClock(61_000);
    expect((await describe1(sim, cluster, other)).containers[0].exitCode).toBe(137);
  });

  it("selects by cluster, service-less count and fraction with a seeded choice, and reports named tasks it cannot interrupt", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    await setup(sim, { cluster: "elsewhere", family: "job2" });
    const spot: string[] = (await runSpot(sim, cluster, family, 10)).tasks.map((t: any) => t.taskArn);
    const far: string[] = (await runSpot(sim, "elsewhere", "job2", 2)).tasks.map((t: any) => t.taskArn);
    const onDemand: string = (
      await ok(sim, "RunTask", { cluster, taskDefinition: family, launchType: "FARGATE", networkConfiguration: AWSVPC })
    ).tasks[0].taskArn;
    await sim.advanceClock(1000);
    const pending: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;

    const three = (await admin(sim, "POST", "/_sim/spot/interruptions", { cluster, count: 3 })).body;
    expect(three.matched).toBe(10);
    expect(three.interrupted).toHaveLength(3);
    const chosen = three.interrupted.map((r: any) => r.taskArn);
    expect(chosen.every((a: string) => spot.includes(a))).toBe(true);

    // Already stopping tasks no longer match; a fraction rounds up.
    const half = (await admin(sim, "POST", "/_sim/spot/interruptions", { cluster, fraction: 0.5 })).body;
    expect(half.matched).toBe(7);
    expect(half.interrupted).toHaveLength(4);
    expect(half.interrupted.some((r: any) => chosen.includes(r.taskArn))).toBe(false);

    const named = (
      await admin(sim, "POST", "/_sim/spot/interruptions", {
        taskArns: [onDemand, pending, chosen[0], far[0], "no-such-task"],
        cluster,
      })
    ).body;
    expect(named.interrupted).toEqual([]);
    // In store (creation) order, then the names that matched nothing.
    expect(named.skipped).toEqual([
      { task: chosen[0], reason: expect.stringMatching(/^already stopping/) },
      { task: far[0], reason: `in cluster elsewhere, not ${cluster}` },
      { task: onDemand, reason: expect.stringMatching(/^not a FARGATE_SPOT task/) },
      { task: pending, reason: expect.stringMatching(/^not RUNNING \(lastStatus (PROVISIONING|PENDING)\)/) },
      { task: "no-such-task", reason: "not found" },
    ]);

    // A storm: everything left, everywhere.
    const storm = sim.simulator.spot.interrupt({ fraction: 1 });
    expect(storm.interrupted.map((r) => r.taskArn).sort()).toEqual(
      [...spot.filter((a) => !chosen.includes(a) && !half.interrupted.some((r: any) => r.taskArn === a)), ...far].sort(),
    );
    expect(sim.simulator.spot.history()).toHaveLength(3 + 4 + 5);
  });

  it("the same seed picks the same subset", async () => {
    const picks: string[][] = [];
    for (let run = 0; run < 2; run++) {
      sim = await spotSim({ seed: 99 });
      const { cluster, family } = await setup(sim);
      await runSpot(sim, cluster, family, 10);
      await sim.advanceClock(1000);
      picks.push(sim.simulator.spot.interrupt({ count: 4 }).interrupted.map((r) => r.taskId));
      await sim.close();
    }
    expect(picks[0]).toHaveLength(4);
    expect(picks[1]).toEqual(picks[0]);
  });

  it("rejects a bad selection with a 400 naming the problem", async () => {
    sim = await spotSim();
    const both = await admin(sim, "POST", "/_sim/spot/interruptions", { count: 1, fraction: 0.5 });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/count or fraction/);
    const typo = await admin(sim, "POST", "/_sim/spot/interruptions", { clusters: "x" });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toMatch(/clusters/);
    const neg = await admin(sim, "POST", "/_sim/spot/interruptions", { fraction: 2 });
    expect(neg.status).toBe(400);
    expect(neg.body.message).toMatch(/fraction/);
  });

  it("the warning reaches a live SSE subscriber of GET /_sim/events as a task state change", async () => {
    sim = await spotSim();
    const { cluster, family } = await setup(sim);
    const arn: string = (await runSpot(sim, cluster, family)).tasks[0].taskArn;
    await sim.advanceClock(1000);
    const abort = new AbortController();
    const res = await fetch(`${sim.endpoint}/_sim/events?stream=1&cluster=${cluster}&detailType=ECS%20Task%20State%20Change`, {
      headers: { accept: "text/event-stream" },
      signal: abort.signal,
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const nextEvent = async (): Promise<any> => {
      for (;;) {
        const cut = buffer.indexOf("\n\n");
        if (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split("\n").find((l) => l.startsWith("data:"));
          if (data) return JSON.parse(data.slice(5).trim());
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    };
    try {
      await admin(sim, "POST", "/_sim/spot/interruptions", { cluster });
      let event = await nextEvent();
      while (event.detail.desiredStatus !== "STOPPED") event = await nextEvent();
      expect(event).toMatchObject({
        "detail-type": "ECS Task State Change",
        resources: [arn],
        detail: { lastStatus: "RUNNING", desiredStatus: "STOPPED", stopCode: "SpotInterruption", stoppedReason: Messages.spotInterrupted },
      });
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
  });

  it("works for a real SDK client: RunTask on FARGATE_SPOT, interruption, tasksStopped waiter sees exit 143", async () => {
    sim = await spotSim({ clockStart: START });
    const { cluster, family } = await setup(sim);
    const ecs = new ECSClient({
      endpoint: sim.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    });
    try {
      const run = await ecs.send(
        new RunTaskCommand({
          cluster,
          taskDefinition: family,
          startedBy: "airflow",
          capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
        }),
      );
      const arn = run.tasks![0]!.taskArn!;
      await sim.advanceClock(20_000);
      const res = await fetch(`${sim.endpoint}/_sim/spot/interruptions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cluster, taskArns: [arn] }),
      });
      expect(((await res.json()) as { interrupted: unknown[] }).interrupted).toHaveLength(1);
      await sim.advanceClock(1000);
      const waited = await waitUntilTasksStopped({ client: ecs, maxWaitTime: 30, minDelay: 1 }, { cluster, tasks: [arn] });
      expect(waited.state).toBe("SUCCESS");
      const t = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }))).tasks![0]!;
      expect(t.stopCode).toBe("SpotInterruption");
      expect(t.stoppedReason).toBe("Your Spot Task was interrupted.");
      expect(t.containers![0]!.exitCode).toBe(143);
      expect(t.startedBy).toBe("airflow");
    } finally {
      ecs.destroy();
    }
  });
});
