import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startSimulator, type RunningSimulator } from "../../src/index.js";
import { admin, AWSVPC, call, ok } from "../helpers/sim.js";
import { advanceUntil, describe as describeService, serviceTasks } from "../services/helpers.js";

/** The incidents shipped under fixtures/scenarios, each run against a small client of its kind. */
const scenario = (name: string) => join(import.meta.dirname, "../../fixtures/scenarios", `${name}.yaml`);
const VCPU_LIMIT = "You’ve reached the limit on the number of vCPUs you can run concurrently";

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function running(s: RunningSimulator, cluster: string): Promise<any[]> {
  const list = await ok(s, "ListTasks", { cluster, desiredStatus: "RUNNING" });
  if (list.taskArns.length === 0) return [];
  return (await ok(s, "DescribeTasks", { cluster, tasks: list.taskArns })).tasks.filter((t: any) => t.lastStatus === "RUNNING");
}

describe("shipped incident scenarios", () => {
  it("prefect-spot-quota: a worker hits the 6-vCPU spot quota, and the increase in the wrong region does not help", async () => {
    sim = await startSimulator({ scenario: scenario("prefect-spot-quota") });
    const outcomes: ("started" | "quota")[] = [];
    // The worker: one flow run every 10 s, as Prefect's ECS worker submits them.
    for (let i = 0; i < 24; i++) {
      const res = await ok(sim, "RunTask", {
        cluster: "prefect",
        taskDefinition: "prefect",
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: AWSVPC,
      });
      if (res.tasks.length === 1) outcomes.push("started");
      else {
        expect(res.failures[0].reason).toBe(VCPU_LIMIT);
        outcomes.push("quota");
      }
      await sim.advanceClock(10_000);
    }
    expect(outcomes.slice(0, 6)).toEqual(Array(6).fill("started"));
    expect(outcomes.slice(6)).toEqual(Array(18).fill("quota"));
    expect((await running(sim, "prefect")).length).toBe(6);
    const step = (await admin(sim, "GET", "/_sim/scenario")).body.steps[0];
    expect(step.status).toBe("fired");
    expect((await admin(sim, "GET", "/_sim/quotas?region=us-east-2")).body.effective.vcpu.spot).toBe(40);
    expect((await admin(sim, "GET", "/_sim/quotas?region=us-east-1")).body.effective.vcpu.spot).toBe(6);
  });

  it("registration-storm: eight workers registering one family at once collide; the winners' revisions are contiguous", async () => {
    sim = await startSimulator({ scenario: scenario("registration-storm") });
    const s = sim;
    const definition = (worker: number) => ({
      family: "flow",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "flow", image: "prefecthq/prefect:3-latest", environment: [{ name: "WORKER", value: String(worker) }] }],
    });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call(s, "RegisterTaskDefinition", definition(i))));
    const refused = answers.filter((a) => a.status === 400);
    const accepted = answers.filter((a) => a.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.body).toEqual({ __type: "ClientException", message: "Too many concurrent attempts to create a new revision of the specified family." });
    }
    const revisions = accepted.map((a) => a.body.taskDefinition.revision).sort((a: number, b: number) => a - b);
    expect(revisions).toEqual(revisions.map((_: number, i: number) => i + 1));
  });

  it("codedeploy-update: the rolling-update call is refused with AWS's message and the service stays on revision 1", async () => {
    sim = await startSimulator({ scenario: scenario("codedeploy-update") });
    await sim.advanceClock(60_000);
    const step = (await admin(sim, "GET", "/_sim/scenario")).body.steps[0];
    expect(step).toMatchObject({
      status: "failed",
      error:
        "InvalidParameterException: Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
    });
    const service = await describeService(sim, "web", "shop");
    expect(service.taskDefinition).toMatch(/:task-definition\/web:1$/);
    expect(service.taskSets[0]).toMatchObject({ status: "PRIMARY", runningCount: 2 });
  });

  it("airflow-burst: 25 RunTask calls in one second: 5 throttled, the 25th over the vCPU quota, then all vCPUs back", async () => {
    sim = await startSimulator({ scenario: scenario("airflow-burst") });
    const s = sim;
    const runOne = () => call(s, "RunTask", { cluster: "airflow", taskDefinition: "airflow-task", launchType: "FARGATE", networkConfiguration: AWSVPC });
    const first = await Promise.all(Array.from({ length: 25 }, runOne));
    const throttled = first.filter((r) => r.status === 400);
    expect(throttled.map((r) => r.body.__type)).toEqual(Array(5).fill("ThrottlingException"));
    expect(throttled[0]!.body.message).toBe("Rate exceeded");
    // The operator retries after a second, as the SDK's backoff would.
    await sim.advanceClock(1_000);
    const retried = await Promise.all(throttled.map(runOne));
    const all = [...first.filter((r) => r.status === 200), ...retried];
    expect(all.every((r) => r.status === 200)).toBe(true);
    const failures = all.flatMap((r) => r.body.failures);
    expect(failures.map((f: any) => f.reason)).toEqual([VCPU_LIMIT]);
    await sim.advanceClock(5_000);
    expect((await running(sim, "airflow")).length).toBe(24);
    // Then nothing: the work ends and the quota is free again.
    await sim.advanceClock(120_000);
    expect((await running(sim, "airflow")).length).toBe(0);
    const usage = (await admin(sim, "GET", "/_sim/usage")).body;
    expect(usage.vcpu.filter((v: any) => v.inUse > 0)).toEqual([]);
  });

  it("circuit-breaker-rollback: the broken revision fails, the breaker rolls back and the service is stable on revision 1", async () => {
    sim = await startSimulator({ scenario: scenario("circuit-breaker-rollback") });
    const s = sim;
    await sim.advanceClock(60_000);
    // The failed deployment and the rollback can come within one step: watch the events.
    await advanceUntil(s, async () => (await describeService(s, "api", "api")).events.some((e: any) => /rolling back to deployment/.test(e.message)));
    await advanceUntil(s, async () => {
      const svc = await describeService(s, "api", "api");
      return svc.deployments.length === 1 && svc.deployments[0].rolloutState === "COMPLETED" && svc.runningCount === 3;
    });
    const service = await describeService(s, "api", "api");
    expect(service.taskDefinition).toMatch(/:task-definition\/api:1$/);
    const messages: string[] = service.events.map((e: any) => e.message);
    expect(messages).toContain("(service api) deployment failed: tasks failed to start.");
    expect(messages.some((m) => /^\(service api\) rolling back to deployment ecs-svc\/\d+\.$/.test(m))).toBe(true);
  });

  it("spot-storm-deploy: two waves of interruptions mid-deployment, and the deployment still completes on FARGATE_SPOT", async () => {
    sim = await startSimulator({ scenario: scenario("spot-storm-deploy") });
    const s = sim;
    await advanceUntil(s, async () => (await describeService(s, "worker", "batch")).runningCount === 6);
    await sim.advanceClock(90_000 - 6_000);
    const steps = (await admin(sim, "GET", "/_sim/scenario")).body.steps;
    expect(steps.map((x: any) => x.status)).toEqual(["fired", "fired", "fired"]);
    expect(steps[1].result.interrupted.length).toBeGreaterThan(0);
    expect(steps[2].result.interrupted.length).toBeGreaterThan(0);
    await advanceUntil(s, async () => {
      const svc = await describeService(s, "worker", "batch");
      return svc.deployments.length === 1 && svc.deployments[0].rolloutState === "COMPLETED" && svc.runningCount === 6;
    }, 600_000);
    const tasks = await serviceTasks(s, "worker", "batch");
    expect(tasks).toHaveLength(6);
    expect(tasks.every((t) => t.capacityProviderName === "FARGATE_SPOT")).toBe(true);
    const stopped = await serviceTasks(s, "worker", "batch", "STOPPED");
    expect(stopped.filter((t) => t.stopCode === "SpotInterruption").length).toBe(
      steps[1].result.interrupted.length + steps[2].result.interrupted.length,
    );
  });
});
