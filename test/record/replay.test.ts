import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startSimulator, replayTape, formatReplay, readTape, type RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, call, ok } from "../helpers/sim.js";
import { advanceUntil, describe as describeService, webDefinition } from "../services/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "ecs-sim-tapes-"));
const CLI = join(import.meta.dirname, "../../dist/cli.js");
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A services session as a test suite drives one: deploy, break, roll back, scale, reset, again. */
async function servicesSession(s: RunningSimulator): Promise<void> {
  await ok(s, "CreateCluster", { clusterName: "default" });
  await ok(s, "RegisterTaskDefinition", webDefinition("web"));
  await s.advanceClock(1_000);
  await ok(s, "RegisterTaskDefinition", webDefinition("web", { ECS_SIM_RUN_MS: "100", ECS_SIM_EXIT_CODE: "1" }));
  await ok(s, "CreateService", {
    cluster: "default",
    serviceName: "web",
    taskDefinition: "web:1",
    desiredCount: 3,
    launchType: "FARGATE",
    networkConfiguration: AWSVPC,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  });
  // Rollback needs a completed deployment to return to.
  await advanceUntil(s, async () => (await describeService(s, "web")).deployments[0].rolloutState === "COMPLETED");
  await ok(s, "UpdateService", { cluster: "default", service: "web", taskDefinition: "web:2" });
  await advanceUntil(s, async () => (await describeService(s, "web")).events.some((e: any) => /rolling back to deployment/.test(e.message)));
  await advanceUntil(s, async () => (await describeService(s, "web")).deployments.length === 1);
  await ok(s, "UpdateService", { cluster: "default", service: "web", desiredCount: 5 });
  await advanceUntil(s, async () => (await describeService(s, "web")).runningCount === 5);
  await call(s, "DescribeServices", { cluster: "nope", services: ["web"] });
  await admin(s, "POST", "/_sim/reset");
  await ok(s, "CreateCluster", { clusterName: "default" });
  await ok(s, "ListTasks", { cluster: "default" });
}

describe("record and replay", () => {
  it("a recorded services session replays with no difference", async () => {
    const tape = join(dir, "services.jsonl");
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 21, quotas: { profile: "established" }, record: tape });
    await servicesSession(sim);
    await sim.close();
    sim = undefined;

    const { header, entries } = readTape(tape);
    expect(header).toMatchObject({ type: "header", format: 1, seed: 21, runtime: "simulated", config: { clock: "virtual" } });
    expect(entries.filter((e) => e.type === "admin").map((e: any) => `${e.method} ${e.url}`)).toEqual(["POST /_sim/reset"]);
    expect(entries.filter((e) => e.type === "call").length).toBeGreaterThan(15);

    const result = await replayTape(tape);
    expect(formatReplay(result)).toBe(`replayed ${result.calls} calls: every answer matches the tape`);
    expect(result.mismatch).toBeUndefined();
  });

  it("prints the first answer that differs, path by path", async () => {
    const tape = join(dir, "tampered.jsonl");
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 5, record: tape });
    await ok(sim, "CreateCluster", { clusterName: "a" });
    await ok(sim, "DescribeClusters", { clusters: ["a"] });
    await ok(sim, "CreateCluster", { clusterName: "b" });
    await sim.close();
    sim = undefined;
    const lines = readFileSync(tape, "utf8").trim().split("\n");
    const second = JSON.parse(lines[2]!);
    second.response.clusters[0].status = "INACTIVE";
    lines[2] = JSON.stringify(second);
    writeFileSync(tape, `${lines.join("\n")}\n`);

    const result = await replayTape(tape);
    expect(result.mismatch).toMatchObject({ seq: 2, what: "DescribeClusters", differences: [{ path: "clusters[0].status", recorded: "INACTIVE", replayed: "ACTIVE" }] });
    expect(formatReplay(result)).toContain('clusters[0].status:\n    - recorded: "INACTIVE"\n    + replayed: "ACTIVE"');
  });

  it("replays against another endpoint, moving its virtual clock", async () => {
    const tape = join(dir, "against.jsonl");
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 9, record: tape });
    await ok(sim, "CreateCluster", { clusterName: "c" });
    await ok(sim, "RegisterTaskDefinition", webDefinition("web"));
    await ok(sim, "RunTask", { cluster: "c", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: AWSVPC });
    await sim.advanceClock(2_000);
    const list = await ok(sim, "ListTasks", { cluster: "c" });
    await ok(sim, "DescribeTasks", { cluster: "c", tasks: list.taskArns });
    await sim.close();
    sim = undefined;

    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 9 });
    const result = await replayTape(tape, { against: sim.endpoint });
    expect(result).toEqual({ calls: 5 });
  });

  it("the same scenario and seed give an identical tape, for every shipped incident", async () => {
    const scenarios = join(import.meta.dirname, "../../fixtures/scenarios");
    for (const file of readdirSync(scenarios).filter((f) => f.endsWith(".yaml"))) {
      const tapes: string[] = [];
      for (const attempt of [1, 2]) {
        const tape = join(dir, `${file}.${attempt}.jsonl`);
        const s = await startSimulator({ scenario: join(scenarios, file), record: tape });
        // A poller of the kind every orchestrator runs, through the whole timeline.
        for (let i = 0; i < 40; i++) {
          const clusters = await ok(s, "ListClusters");
          for (const arn of clusters.clusterArns) {
            const tasks = await ok(s, "ListTasks", { cluster: arn });
            if (tasks.taskArns.length) await ok(s, "DescribeTasks", { cluster: arn, tasks: tasks.taskArns.slice(0, 100) });
            const services = await ok(s, "ListServices", { cluster: arn });
            if (services.serviceArns.length) await ok(s, "DescribeServices", { cluster: arn, services: services.serviceArns });
          }
          await s.advanceClock(5_000);
        }
        await s.close();
        tapes.push(readFileSync(tape, "utf8"));
      }
      expect(tapes[1], file).toBe(tapes[0]);
      expect(tapes[0]!.split("\n").length, file).toBeGreaterThan(40);
    }
  });

  it("the CLI replays a tape: exit 0 when it matches, 1 with the diff when it does not, 2 for a file that is no tape", async () => {
    const tape = join(dir, "cli.jsonl");
    sim = await startSimulator({ runtime: "simulated", clock: "virtual", seed: 4, record: tape });
    await ok(sim, "CreateCluster", { clusterName: "x" });
    await sim.close();
    sim = undefined;
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, "replay", ...args]).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e) => ({ code: e.code as number, out: e.stdout as string, err: e.stderr as string }),
      );
    expect(await run([tape])).toMatchObject({ code: 0, out: "replayed 1 calls: every answer matches the tape\n" });
    writeFileSync(tape, readFileSync(tape, "utf8").replace('"clusterName":"x"', '"clusterName":"y"'));
    const differs = await run([tape]);
    expect(differs.code).toBe(1);
    expect(differs.out).toMatch(/^call 1 \(CreateCluster, at 2026-01-01T00:00:00.000Z\) answered differently/);
    const notTape = join(dir, "not-a-tape.jsonl");
    writeFileSync(notTape, '{"hello":1}\n');
    expect(await run([notTape])).toMatchObject({ code: 2 });
  });
});
