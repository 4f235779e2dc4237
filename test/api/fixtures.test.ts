import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index.js";
import { AWSVPC, ok, virtualSim } from "../helpers/sim.js";

const dir = join(import.meta.dirname, "../../fixtures/task-definitions");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".json"));

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await virtualSim();
});
afterAll(async () => {
  await sim.close();
});

describe("task definitions from real use", () => {
  it("has the three fixtures the project promises", () => {
    expect(fixtures.sort()).toEqual(["flask-api-service.json", "prefect-flow-run.json", "sample-website.json"]);
  });

  it.each(fixtures)("%s registers, describes as registered, and runs to RUNNING", async (file) => {
    const input = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const td = (await ok(sim, "RegisterTaskDefinition", input)).taskDefinition;
    expect(td.family).toBe(input.family);
    expect([td.cpu, td.memory]).toEqual([input.cpu, input.memory]);
    for (const [i, c] of input.containerDefinitions.entries()) {
      expect(td.containerDefinitions[i]).toMatchObject(c);
    }
    const run = await ok(sim, "RunTask", { taskDefinition: td.taskDefinitionArn, networkConfiguration: AWSVPC });
    expect(run.failures).toEqual([]);
    await sim.advanceClock(1000);
    const task = (await ok(sim, "DescribeTasks", { tasks: [run.tasks[0].taskArn] })).tasks[0];
    expect(task.lastStatus).toBe("RUNNING");
  });
});
