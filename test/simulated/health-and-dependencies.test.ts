import { beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { ok, useVirtualSim } from "../helpers/sim.js";
import { container, describeTask, env, runTask } from "./helpers.js";

/** Fast timing: a container starts about 10 ms after RunTask; advancing in 1 s steps keeps checks apart. */
const check = (over: Record<string, number> = {}) => ({ command: ["CMD-SHELL", "true"], interval: 5, timeout: 2, retries: 3, startPeriod: 0, ...over });

describe("simulated health checks follow AWS's timing", () => {
  let sim: RunningSimulator;
  useVirtualSim((s) => (sim = s));
  beforeEach(async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
  });

  /** The container's health after each whole second, until `seconds`. */
  async function timeline(arn: string, seconds: number): Promise<string[]> {
    const seen: string[] = [];
    for (let s = 1; s <= seconds; s++) {
      await sim.advanceClock(1_000);
      seen.push(container(await describeTask(sim, arn), "app").healthStatus);
    }
    return seen;
  }

  it("is UNKNOWN until the first check, one interval after the start, then HEALTHY", async () => {
    const { arn } = await runTask(sim, [{ name: "app", healthCheck: check() }]);
    const seen = await timeline(arn, 6);
    expect(seen).toEqual(["UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "HEALTHY"]);
    expect((await describeTask(sim, arn)).healthStatus).toBe("HEALTHY");
  });

  it("turns UNHEALTHY after `retries` failed checks in a row", async () => {
    const { arn } = await runTask(sim, [{ name: "app", healthCheck: check(), environment: env({ ECS_SIM_HEALTH: "UNHEALTHY" }) }]);
    const seen = await timeline(arn, 16);
    // Checks at ~5, ~10 and ~15 s: the third failure makes it UNHEALTHY.
    expect(seen.lastIndexOf("UNKNOWN")).toBe(14);
    expect(seen[15]).toBe("UNHEALTHY");
    expect((await describeTask(sim, arn)).healthStatus).toBe("UNHEALTHY");
  });

  it("does not count failures inside startPeriod", async () => {
    const { arn } = await runTask(sim, [{ name: "app", healthCheck: check({ startPeriod: 12 }), environment: env({ ECS_SIM_HEALTH: "UNHEALTHY" }) }]);
    const seen = await timeline(arn, 26);
    // Failures at ~5 and ~10 s fall in the grace; those at ~15, ~20 and ~25 s count.
    expect(seen.lastIndexOf("UNKNOWN")).toBe(24);
    expect(seen[25]).toBe("UNHEALTHY");
  });

  it("uses AWS's defaults (30 s interval) when the check leaves them out", async () => {
    const { arn } = await runTask(sim, [{ name: "app", healthCheck: { command: ["CMD-SHELL", "true"] } }]);
    await sim.advanceClock(29_000);
    expect(container(await describeTask(sim, arn), "app").healthStatus).toBe("UNKNOWN");
    await sim.advanceClock(2_000);
    expect(container(await describeTask(sim, arn), "app").healthStatus).toBe("HEALTHY");
  });
});

describe("simulated dependsOn, as the Docker runtime honours it", () => {
  let sim: RunningSimulator;
  useVirtualSim((s) => (sim = s));
  beforeEach(async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
  });

  it("SUCCESS: the app starts once init exited 0; the task stays PENDING until then", async () => {
    const { arn } = await runTask(sim, [
      { name: "init", essential: false, environment: env({ ECS_SIM_RUN_MS: "3s" }) },
      { name: "app", dependsOn: [{ containerName: "init", condition: "SUCCESS" }] },
    ]);
    await sim.advanceClock(2_000);
    let task = await describeTask(sim, arn);
    expect(task.lastStatus).toBe("PENDING");
    expect(container(task, "init").lastStatus).toBe("RUNNING");
    expect(container(task, "app").lastStatus).toBe("PENDING");
    await sim.advanceClock(2_000);
    task = await describeTask(sim, arn);
    expect(task.lastStatus).toBe("RUNNING");
    expect(container(task, "init")).toMatchObject({ lastStatus: "STOPPED", exitCode: 0 });
    expect(container(task, "app").lastStatus).toBe("RUNNING");
    expect(task.startedAt - task.createdAt).toBeGreaterThanOrEqual(3); // epoch seconds on the wire
  });

  it("SUCCESS unmet: init exiting 1 fails the task to start, naming both containers", async () => {
    const { arn } = await runTask(sim, [
      { name: "init", essential: false, environment: env({ ECS_SIM_RUN_MS: "1s", ECS_SIM_EXIT_CODE: "1" }) },
      { name: "app", dependsOn: [{ containerName: "init", condition: "SUCCESS" }] },
    ]);
    await sim.advanceClock(3_000);
    const task = await describeTask(sim, arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "TaskFailedToStart" });
    expect(task.stoppedReason).toBe(
      "CannotStartContainerError: dependency condition SUCCESS on container 'init' for container 'app' was not met: it exited with code 1",
    );
    expect(task.startedAt).toBeUndefined();
  });

  it("COMPLETE: any exit code lets the app start", async () => {
    const { arn } = await runTask(sim, [
      { name: "init", essential: false, environment: env({ ECS_SIM_RUN_MS: "1s", ECS_SIM_EXIT_CODE: "1" }) },
      { name: "app", dependsOn: [{ containerName: "init", condition: "COMPLETE" }] },
    ]);
    await sim.advanceClock(3_000);
    const task = await describeTask(sim, arn);
    expect(task.lastStatus).toBe("RUNNING");
    expect(container(task, "init").exitCode).toBe(1);
  });

  it("HEALTHY: the app waits for the sidecar's first passing check", async () => {
    const { arn } = await runTask(sim, [
      { name: "sidecar", healthCheck: check({ interval: 10 }) },
      { name: "app", dependsOn: [{ containerName: "sidecar", condition: "HEALTHY" }] },
    ]);
    await sim.advanceClock(9_000);
    expect(container(await describeTask(sim, arn), "app").lastStatus).toBe("PENDING");
    await sim.advanceClock(2_000);
    const task = await describeTask(sim, arn);
    expect(task.lastStatus).toBe("RUNNING");
    expect(container(task, "sidecar").healthStatus).toBe("HEALTHY");
  });

  it("HEALTHY unmet: a dependency that exits before it is healthy fails the start", async () => {
    const { arn } = await runTask(sim, [
      { name: "sidecar", essential: false, healthCheck: check({ interval: 10 }), environment: env({ ECS_SIM_RUN_MS: "2s" }) },
      { name: "app", dependsOn: [{ containerName: "sidecar", condition: "HEALTHY" }] },
    ]);
    await sim.advanceClock(5_000);
    const task = await describeTask(sim, arn);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toContain("dependency condition HEALTHY on container 'sidecar' for container 'app' was not met");
  });

  it("StopTask while a container waits on a dependency stops the task at once, not at the dependency timeout", async () => {
    const { arn } = await runTask(sim, [
      { name: "sidecar", healthCheck: check(), environment: env({ ECS_SIM_HEALTH: "UNHEALTHY" }) },
      { name: "app", dependsOn: [{ containerName: "sidecar", condition: "HEALTHY" }] },
    ]);
    await sim.advanceClock(2_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("PENDING");
    await ok(sim, "StopTask", { cluster: "c", task: arn });
    await sim.advanceClock(1_000);
    const task = await describeTask(sim, arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "Task stopped by user" });
    expect(task.startedAt).toBeUndefined();
    expect(container(task, "sidecar")).toMatchObject({ lastStatus: "STOPPED", exitCode: 143 });
    expect(container(task, "app").lastStatus).toBe("STOPPED");
    expect(container(task, "app").exitCode).toBeUndefined();
  });

  it("START: the app starts with its dependency; a dependency that never resolves times out after startTimeout", async () => {
    const started = await runTask(sim, [{ name: "db" }, { name: "app", dependsOn: [{ containerName: "db", condition: "START" }] }]);
    await sim.advanceClock(1_000);
    expect((await describeTask(sim, started.arn)).lastStatus).toBe("RUNNING");

    const stuck = await runTask(sim, [
      { name: "sidecar", healthCheck: check(), environment: env({ ECS_SIM_HEALTH: "UNHEALTHY" }) },
      { name: "app", startTimeout: 60, dependsOn: [{ containerName: "sidecar", condition: "HEALTHY" }] },
    ]);
    await sim.advanceClock(59_000);
    expect((await describeTask(sim, stuck.arn)).lastStatus).toBe("PENDING");
    await sim.advanceClock(2_000);
    const task = await describeTask(sim, stuck.arn);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toBe("CannotStartContainerError: timed out waiting for the dependencies of container 'app'");
  });
});
