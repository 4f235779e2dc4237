import { FilterLogEventsCommand, GetLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Simulator, type RunningSimulator } from "../../src/index.js";
import { ok, useVirtualSim, virtualSim } from "../helpers/sim.js";
import { awslogs, container, describeTask, env, logsClient, runTask } from "./helpers.js";

const CREATE = { "awslogs-create-group": "true" };

describe("simulated containers write to their awslogs stream", () => {
  let sim: RunningSimulator;
  let logs: CloudWatchLogsClient;
  useVirtualSim((s) => {
    sim = s;
    logs = logsClient(s);
  });
  beforeEach(async () => {
    await ok(sim, "CreateCluster", { clusterName: "c" });
  });
  afterAll(() => logs?.destroy());

  async function events(group: string, stream: string) {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
    return (out.events ?? []).map((e) => ({ t: e.timestamp!, message: e.message! }));
  }

  it("writes the ECS_SIM_LOG lines, each after its delay, and nothing after the container exits", async () => {
    const script = ["starting", "+2s loading 10 rows", "+500ms done", "\\+1 is not a delay", "+1m too late"].join("\n");
    const { arn, id } = await runTask(sim, [
      { name: "app", logConfiguration: awslogs("/ecs/etl", "etl", CREATE), environment: env({ ECS_SIM_LOG: script, ECS_SIM_RUN_MS: "10s" }) },
    ]);
    await sim.advanceClock(100);
    const stream = `etl/app/${id}`;
    expect((await events("/ecs/etl", stream)).map((e) => e.message)).toEqual(["starting"]);
    await sim.advanceClock(2_000);
    expect((await events("/ecs/etl", stream)).map((e) => e.message)).toEqual(["starting", "loading 10 rows"]);
    await sim.advanceClock(60_000);
    const all = await events("/ecs/etl", stream);
    expect(all.map((e) => e.message)).toEqual(["starting", "loading 10 rows", "done", "+1 is not a delay"]);
    expect(all[1]!.t - all[0]!.t).toBe(2_000);
    expect(all[2]!.t - all[1]!.t).toBe(500);
    expect(all[3]!.t).toBe(all[2]!.t);
    expect((await describeTask(sim, arn)).lastStatus).toBe("STOPPED");
  });

  it("by default writes one line saying what it simulates: run until stopped, and how to change that", async () => {
    const { id } = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/web", "ecs", CREATE) }]);
    await sim.advanceClock(1_000);
    const [line, ...rest] = await events("/ecs/web", `ecs/app/${id}`);
    expect(rest).toEqual([]);
    expect(line!.message).toContain('simulated container "app" (image busybox:latest)');
    expect(line!.message).toContain("runs until stopped");
    expect(line!.message).toContain("ECS_SIM_RUN_MS");
    expect(line!.message).toContain("ECS_SIM_LOG");
  });

  it("says when it will exit on its own", async () => {
    const { id } = await runTask(sim, [
      { name: "app", logConfiguration: awslogs("/ecs/job", "ecs", CREATE), environment: env({ ECS_SIM_RUN_MS: "1500", ECS_SIM_EXIT_CODE: "2" }) },
    ]);
    await sim.advanceClock(1_000);
    const [line] = await events("/ecs/job", `ecs/app/${id}`);
    expect(line!.message).toContain("exits with code 2 after 1500 ms");
  });

  it("an empty ECS_SIM_LOG writes nothing; a filter sees scripted lines across tasks", async () => {
    const quiet = await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/mixed", "ecs", CREATE), environment: env({ ECS_SIM_LOG: "" }) }]);
    await runTask(sim, [{ name: "app", logConfiguration: awslogs("/ecs/mixed", "ecs", CREATE), environment: env({ ECS_SIM_LOG: "ERROR boom" }) }]);
    await sim.advanceClock(1_000);
    expect(await events("/ecs/mixed", `ecs/app/${quiet.id}`)).toEqual([]);
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: "/ecs/mixed", filterPattern: "ERROR" }));
    expect(found.events?.map((e) => e.message)).toEqual(["ERROR boom"]);
  });

  it("ECS_SIM_OOM=1 alone ends the task with the OOM kill", async () => {
    const { arn } = await runTask(sim, [{ name: "app", environment: env({ ECS_SIM_OOM: "1" }) }]);
    await sim.advanceClock(1_000);
    const task = await describeTask(sim, arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
    expect(container(task, "app")).toMatchObject({ exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage" });
  });

  it("ECS_SIM_OOM with ECS_SIM_RUN_MS is killed at that time", async () => {
    const { arn } = await runTask(sim, [{ name: "app", environment: env({ ECS_SIM_OOM: "1", ECS_SIM_RUN_MS: "30s" }) }]);
    await sim.advanceClock(20_000);
    expect((await describeTask(sim, arn)).lastStatus).toBe("RUNNING");
    await sim.advanceClock(20_000);
    expect(container(await describeTask(sim, arn), "app")).toMatchObject({ exitCode: 137 });
  });
});

describe("simulated.rules", () => {
  it("can script the log too", async () => {
    const sim = await virtualSim({ simulated: { rules: [{ match: { container: "worker" }, log: ["hello from a rule", "+1s bye"], runMs: 5000 }] } });
    const logs = logsClient(sim);
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      const { id } = await runTask(sim, [{ name: "worker", logConfiguration: awslogs("/ecs/ruled", "ecs", CREATE) }]);
      await sim.advanceClock(2_000);
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: "/ecs/ruled", logStreamName: `ecs/worker/${id}`, startFromHead: true }));
      expect(out.events?.map((e) => e.message)).toEqual(["hello from a rule", "bye"]);
    } finally {
      logs.destroy();
      await sim.close();
    }
  });
});

describe("simulated.rules for health and OOM", () => {
  it("give the same outcomes as ECS_SIM_HEALTH and ECS_SIM_OOM; the container's variables win", async () => {
    const sim = await virtualSim({
      simulated: { rules: [{ match: { container: "sick" }, health: "UNHEALTHY" }, { match: { container: "hog" }, oom: true }] },
    });
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      const healthCheck = { command: ["CMD-SHELL", "true"], interval: 5, retries: 1 };
      const sick = await runTask(sim, [{ name: "sick", healthCheck }]);
      const cured = await runTask(sim, [{ name: "sick", healthCheck, environment: env({ ECS_SIM_HEALTH: "HEALTHY" }) }]);
      const hog = await runTask(sim, [{ name: "hog" }]);
      await sim.advanceClock(6_000);
      expect(container(await describeTask(sim, sick.arn), "sick").healthStatus).toBe("UNHEALTHY");
      expect(container(await describeTask(sim, cured.arn), "sick").healthStatus).toBe("HEALTHY");
      expect(container(await describeTask(sim, hog.arn), "hog")).toMatchObject({ exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage" });
    } finally {
      await sim.close();
    }
  });
});

describe("the simulated runtime at startup", () => {
  it("says once that containers run until stopped unless ECS_SIM_RUN_MS says otherwise", async () => {
    const lines: string[] = [];
    const sim = await Simulator.create({ runtime: "simulated", clock: "virtual", logLevel: "info" }, { logWrite: (l) => lines.push(l) });
    try {
      const notes = lines.filter((l) => l.includes("simulated runtime"));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain("runs until stopped");
      expect(notes[0]).toContain("ECS_SIM_RUN_MS");
    } finally {
      await sim.close();
    }
  });
});

describe("a log-streaming orchestrator without Docker", () => {
  it("follows a Prefect flow run's stream with GetLogEvents tokens until the task stops, as Prefect's ECS worker does", async () => {
    const definition = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/task-definitions/prefect-flow-run.json"), "utf8"));
    const sim = await virtualSim();
    const logs = logsClient(sim);
    try {
      await ok(sim, "CreateCluster", { clusterName: "c" });
      const td = (await ok(sim, "RegisterTaskDefinition", definition)).taskDefinition;
      const script = "Opening process...\n+1s Beginning flow run 'silly-otter'\n+3s Finished in state Completed()";
      const run = await ok(sim, "RunTask", {
        cluster: "c",
        taskDefinition: td.taskDefinitionArn,
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
        overrides: { containerOverrides: [{ name: "prefect", environment: env({ ECS_SIM_LOG: script, ECS_SIM_RUN_MS: "5s" }) }] },
      });
      const arn: string = run.tasks[0].taskArn;
      const stream = `${td.containerDefinitions[0].logConfiguration.options["awslogs-stream-prefix"]}/prefect/${arn.split("/").pop()}`;
      const seen: string[] = [];
      let token: string | undefined;
      for (let polls = 0; polls < 20; polls++) {
        await sim.advanceClock(1_000);
        const page = await logs.send(
          new GetLogEventsCommand({ logGroupName: "prefect", logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) }),
        );
        seen.push(...(page.events ?? []).map((e) => e.message!));
        token = page.nextForwardToken;
        if ((await describeTask(sim, arn)).lastStatus === "STOPPED") break;
      }
      expect(seen).toEqual(["Opening process...", "Beginning flow run 'silly-otter'", "Finished in state Completed()"]);
      expect(container(await describeTask(sim, arn), "prefect").exitCode).toBe(0);
    } finally {
      logs.destroy();
      await sim.close();
    }
  });
});
